"""The editor's import page: upload a CSV or NDJSON export, see what it would change (a dry
run), confirm to apply it, and read what was done."""

from __future__ import annotations

import base64
import binascii
import hashlib
import zlib
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from app.common.pages import render
from app.core.deps import SessionDep
from app.core.errors import DomainError
from app.events import imports
from app.users.deps import EditorDep

router = APIRouter(tags=["pages"], include_in_schema=False)

#: The largest file an editor may upload here.
MAX_IMPORT_BYTES = 10 * 1024 * 1024
#: Room for the rest of a multipart body (boundaries, the other fields).
FORM_OVERHEAD = 64 * 1024
#: The largest carried copy of the file the confirm step takes back in a hidden field (a
#: form field is read whole into memory, up to 1 MiB); a bigger file is chosen again.
MAX_CARRIED = 900 * 1024


class ImportTooLarge(DomainError):
    status = 413
    title = "Content too large"


def refuse_large(request: Request) -> None:
    """Runs before the form is parsed: a body over the limit is refused unread."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_IMPORT_BYTES + FORM_OVERHEAD:
        raise ImportTooLarge(_too_large_detail())


def _too_large_detail() -> str:
    return f"The file is over {MAX_IMPORT_BYTES // (1024 * 1024)} MB, so nothing was imported."


@router.get("/import")
def import_form(request: Request, editor: EditorDep) -> Response:
    return render(request, "editing/import.html", {"stage": "choose", "errors": {}})


def _carried(data: bytes) -> str | None:
    """The file compressed and base64'd for a hidden field, or None when too big for one."""
    packed = base64.b64encode(zlib.compress(data, 9)).decode("ascii")
    return packed if len(packed) <= MAX_CARRIED else None


def _uncarried(packed: str) -> bytes | None:
    """The carried file; None for a field that is not one, or would unpack past the limit."""
    unpacker = zlib.decompressobj()
    try:
        data = unpacker.decompress(base64.b64decode(packed, validate=True), MAX_IMPORT_BYTES + 1)
    except (binascii.Error, zlib.error, ValueError):
        return None
    if len(data) > MAX_IMPORT_BYTES or unpacker.unconsumed_tail or not unpacker.eof:
        return None
    return data


async def _posted_file(request: Request) -> tuple[str, bytes | None, dict[str, Any]]:
    """The file's name and bytes (uploaded, or carried from the dry run), and the form."""
    form = await request.form()
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(MAX_IMPORT_BYTES + 1)
        if len(data) > MAX_IMPORT_BYTES:
            raise ImportTooLarge(_too_large_detail())
        return upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1], data, dict(form)
    carried = form.get("carried")
    name = form.get("file_name")
    if isinstance(carried, str) and carried and isinstance(name, str):
        return name, _uncarried(carried), dict(form)
    return "", None, dict(form)


def _attempt(
    session: Session, name: str, data: bytes, author: str
) -> tuple[imports.Report | None, str | None]:
    try:
        reason = f"imported from {name} by {author}"
        return imports.run(session, file_name=name, data=data, reason=reason), None
    except imports.ImportRefused as exc:
        return None, str(exc)


@router.post("/import")
async def import_file(request: Request, session: SessionDep, editor: EditorDep) -> Response:
    """The dry run (the default), or the import itself once confirmed (`apply`) for the
    very file that was checked: its digest travels with it."""
    name, data, form = await _posted_file(request)
    if data is None:
        errors = {"file": "Choose a CSV or NDJSON file to import."}
        return render(
            request, "editing/import.html", {"stage": "choose", "errors": errors}, status_code=422
        )
    digest = hashlib.sha256(data).hexdigest()
    applying = form.get("apply") == "1" and form.get("digest") == digest
    report, refusal = _attempt(session, name, data, editor.username)
    if refusal or not applying:
        session.rollback()
    context = {
        "stage": "done" if applying and report else "check",
        "file_name": name,
        "report": report,
        "refusal": refusal,
        "digest": digest,
        "carried": _carried(data),
        "changed_since": form.get("apply") == "1" and not applying,
        "errors": {"file": refusal} if refusal else {},
    }
    return render(request, "editing/import.html", context, status_code=422 if refusal else 200)
