"""The editor's pages for events: add, correct, delete (with undo), history and restore."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from app.actors import service as actor_service
from app.actors.models import ACTOR_KINDS
from app.common.forms import sentence
from app.common.pages import render
from app.core.deps import SessionDep
from app.core.errors import DomainError, EditConflict, InvalidInput
from app.events import duplicates, fields, forms, naming, reading, revisions
from app.events import service as event_service
from app.events.fields import (
    LINK_KINDS,
    PARTICIPATION_ROLES,
)
from app.events.models import Event
from app.events.schemas import EventCreate, EventReplace
from app.media import service as media_service
from app.media.images import MAX_UPLOAD_BYTES
from app.places import service as place_service
from app.series import service as series_service
from app.suggestions import service as suggestion_service
from app.tags import service as tag_service
from app.users.deps import EditorDep, MaybeEditorDep

router = APIRouter(tags=["pages"], include_in_schema=False)

COMMON_TIMEZONES = (
    "UTC",
    "Asia/Dubai",
    "Europe/Kyiv",
    "Europe/Moscow",
    "America/New_York",
    "Europe/Brussels",
    "Europe/London",
    "Europe/Istanbul",
    "Asia/Riyadh",
    "Europe/Zurich",
)
#: How many recent events the no-script link picker offers; scripts search all of them.
EVENT_CHOICES = 300


def _choices(session: Session) -> dict[str, Any]:
    """What the pickers offer when scripts are off (datalists)."""
    events = session.execute(
        select(Event.slug, Event.title, Event.start_date)
        .where(Event.deleted_at.is_(None))
        .order_by(Event.starts_at.desc())
        .limit(EVENT_CHOICES)
    ).all()
    return {
        "places": place_service.get_all(session),
        "actors": actor_service.get_all(session),
        "series_list": series_service.get_all(session),
        "tag_list": tag_service.get_all(session),
        "event_choices": events,
        "input_rows": fields.input_rows,
        "roles": PARTICIPATION_ROLES,
        "link_kinds": LINK_KINDS,
        "actor_kinds": ACTOR_KINDS,
        "timezones": COMMON_TIMEZONES,
    }


def _render_form(
    request: Request,
    session: Session,
    form: forms.EventForm,
    *,
    mode: str,
    event: Event | None = None,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    context = {
        "form": form,
        "mode": mode,
        "event": event,
        # The most a post of this form may send with an image (app.web.limits refuses more).
        "form_limit": MAX_UPLOAD_BYTES,
        **_choices(session),
        **extra,
    }
    return render(request, "editing/event_form.html", context, status_code=status_code)


async def _posted(request: Request) -> tuple[forms.EventForm, str | None]:
    """The posted form, and the "add another"/"remove" button pressed, if any."""
    data = await request.form()
    form = forms.parse(data.multi_items())
    add, remove = data.get("add"), data.get("remove")
    if isinstance(add, str) and add:
        forms.add_row(form, add)
        return form, f"add:{add}"
    if isinstance(remove, str) and remove:
        forms.remove_row(form, remove)
        return form, f"remove:{remove}"
    if data.get("restore_draft"):
        # A draft kept by the browser (editor.js), shown again to be checked and saved.
        return form, "restore:draft"
    return form, None


async def _take_upload(
    session: Session, form: forms.EventForm, data: FormData, uploaded_by: str
) -> None:
    """The image chosen in the form's upload field becomes one of its rows, kept at once.

    It is saved before the rest of the form is checked, and committed: a browser cannot fill
    a file input again, so if anything else in the form is wrong, the image stays in the form
    (as a row, its words typed in) instead of asking the editor to choose it again.
    """
    upload = data.get(forms.UPLOAD_FILE)
    if not isinstance(upload, UploadFile) or not upload.filename:
        return
    content = await upload.read(MAX_UPLOAD_BYTES + 1)
    try:
        media = media_service.create(session, data=content, uploaded_by=uploaded_by)
    except DomainError as exc:
        form.errors[forms.UPLOAD_FILE] = sentence(exc.detail)
        return
    session.commit()
    if len(form.rows["media"]) < fields.MAX_MEDIA:
        form.rows["media"].append(
            {
                "url": media.url,
                "alt": form.value("new_media_alt"),
                "credit": form.value("new_media_credit"),
                "caption": form.value("new_media_caption"),
            }
        )
        for name in ("new_media_alt", "new_media_credit", "new_media_caption"):
            form.values[name] = ""
    else:
        form.errors[forms.UPLOAD_FILE] = f"An event shows at most {fields.MAX_MEDIA} images."


def _validated(
    session: Session, form: forms.EventForm, schema: type[EventCreate] | type[EventReplace]
) -> tuple[naming.Prepared, EventCreate | EventReplace | None]:
    """Check everything without writing; errors land on the form (and the write is None)."""
    prepared = naming.prepare(session, form)
    payload = {k: v for k, v in prepared.payload.items() if v is not None}
    try:
        data = schema.model_validate(payload, strict=False)
    except ValidationError as exc:
        forms.add_error(form, exc, prepared.rows)
        return prepared, None
    return prepared, None if form.errors else data


def _signed_out(
    request: Request,
    session: Session,
    form: forms.EventForm,
    *,
    mode: str,
    event: Event | None = None,
) -> Response:
    """The session ended while the form was open: show it again, typed values and all."""
    form.errors["form"] = (
        "You are signed out (the session ended), so nothing was saved. Everything you typed is "
        "still here: sign in in another tab, then come back and save again."
    )
    return _render_form(request, session, form, mode=mode, event=event, status_code=401)


def _with_reason(payload: dict[str, Any], form: forms.EventForm) -> dict[str, Any]:
    reason = form.value("reason").strip()
    return {**payload, "reason": reason} if reason else payload


# --- new ------------------------------------------------------------------------------------


@router.get("/events/new")
def new_event(
    request: Request, session: SessionDep, editor: EditorDep, suggestion: int | None = None
) -> Response:
    form = forms.blank()
    from_suggestion = None
    if suggestion is not None:
        from_suggestion = suggestion_service.get(session, id=suggestion)
        form.values.update(
            title=from_suggestion.title,
            summary=from_suggestion.summary,
            start_date=from_suggestion.start_date.isoformat(),
            place=from_suggestion.place_name or "",
            suggestion=str(from_suggestion.id),
        )
        form.rows["sources"][0]["url"] = from_suggestion.source_url
    return _render_form(request, session, form, mode="new", from_suggestion=from_suggestion)


@router.post("/events/new")
async def create_event(
    request: Request, session: SessionDep, signed_in: MaybeEditorDep
) -> Response:
    form, action = await _posted(request)
    data = await request.form()
    if signed_in is None:
        return _signed_out(request, session, form, mode="new")
    editor = signed_in
    await _take_upload(session, form, data, editor.username)
    from_suggestion = None
    if form.value("suggestion").isdigit():
        from_suggestion = suggestion_service.get(session, id=int(form.value("suggestion")))
    if action:
        return _render_form(
            request, session, form, mode="new", from_suggestion=from_suggestion, focus=action
        )
    prepared, checked = _validated(session, form, EventCreate)
    if checked is None:
        session.rollback()
        return _render_form(
            request, session, form, mode="new", status_code=422, from_suggestion=from_suggestion
        )
    if not data.get("not_duplicate"):
        similar = duplicates.similar_events(
            session, start_date=checked.start_date, title=checked.title
        )
        if similar:
            return _render_form(
                request,
                session,
                form,
                mode="new",
                status_code=409,
                similar=similar,
                from_suggestion=from_suggestion,
            )
    try:
        payload = naming.create_pending(session, prepared)
        event = event_service.create(
            session,
            data=EventCreate.model_validate(_with_reason(payload, form), strict=False),
            author=editor.username,
            reason=form.value("reason").strip() or None,
        )
        if from_suggestion is not None:
            suggestion_service.accept(
                session, id=from_suggestion.id, event_id=event.id, reviewer=editor.username
            )
    except (DomainError, ValidationError) as exc:
        session.rollback()
        forms.add_error(form, exc, prepared.rows)
        return _render_form(
            request, session, form, mode="new", status_code=422, from_suggestion=from_suggestion
        )
    return RedirectResponse(f"/events/{event.slug}?saved=1", status_code=303)


# --- edit -----------------------------------------------------------------------------------


@router.get("/events/{slug}/edit")
def edit_event(request: Request, slug: str, session: SessionDep, editor: EditorDep) -> Response:
    event = reading.get_by_slug(session, slug=slug)
    snapshot = revisions.snapshot(event)
    form = forms.from_snapshot(snapshot, naming.display_names(session, snapshot))
    form.values["version"] = str(event.version)
    return _render_form(request, session, form, mode="edit", event=event)


def _conflict(
    session: Session, event: Event, base_version: int, yours: dict[str, Any]
) -> list[dict[str, Any]]:
    """Fields someone else changed since `base_version`, with theirs and yours side by side."""
    try:
        base = revisions.get_revision(session, slug=event.slug, version=base_version).snapshot
    except DomainError:
        base = {}
    theirs = revisions.snapshot(event)
    rows = []
    for change in revisions.changes(base, theirs, fields=fields.WRITE_FIELDS):
        rows.append(
            {
                "label": change.label,
                "field": change.field,
                "theirs": change.after,
                "before": change.before,
                "yours": revisions.lines(change.field, yours.get(change.field)),
                "same": yours.get(change.field) == theirs.get(change.field),
                # Plain fields can be copied into the form with one click (editor.js).
                "raw": _form_value(change.field, theirs.get(change.field)),
            }
        )
    return rows


def _form_value(field: str, value: Any) -> str | None:
    """A snapshot value as the form's input holds it, for fields that are one input."""
    if field in forms.GROUPS:
        return None
    if field == "tags":
        return ", ".join(value or [])
    if field in ("start_time", "end_time") and value:
        return str(value)[:5]
    if isinstance(value, bool):
        return "1" if value else ""
    return "" if value is None else str(value)


@router.post("/events/{slug}/edit")
async def update_event(
    request: Request, slug: str, session: SessionDep, signed_in: MaybeEditorDep
) -> Response:
    event = reading.get_by_slug(session, slug=slug)
    form, action = await _posted(request)
    if signed_in is None:
        return _signed_out(request, session, form, mode="edit", event=event)
    editor = signed_in
    await _take_upload(session, form, await request.form(), editor.username)
    if action:
        return _render_form(request, session, form, mode="edit", event=event, focus=action)
    prepared, checked = _validated(session, form, EventReplace)
    if checked is None:
        session.rollback()
        return _render_form(request, session, form, mode="edit", event=event, status_code=422)
    opened_at = int(form.value("version")) if form.value("version").isdigit() else None
    if opened_at is not None and opened_at != event.version:
        yours = checked.model_dump(mode="json", exclude={"reason"})
        conflict = _conflict(session, event, opened_at, yours)
        # The form now carries the current version: saving again (after merging) goes through.
        form.values["version"] = str(event.version)
        session.rollback()
        return _render_form(
            request,
            session,
            form,
            mode="edit",
            event=event,
            status_code=409,
            conflict=conflict,
            opened_at=opened_at,
        )
    try:
        payload = naming.create_pending(session, prepared)
        event_service.update(
            session,
            slug=slug,
            data=EventReplace.model_validate(_with_reason(payload, form), strict=False),
            expected_version=opened_at,
            author=editor.username,
            reason=form.value("reason").strip() or None,
            event=event,
        )
    except EditConflict:
        session.rollback()
        form.errors["form"] = (
            "Someone saved this event at the same moment. Save again to see what changed."
        )
        return _render_form(request, session, form, mode="edit", event=event, status_code=409)
    except (DomainError, ValidationError) as exc:
        session.rollback()
        forms.add_error(form, exc, prepared.rows)
        return _render_form(request, session, form, mode="edit", event=event, status_code=422)
    return RedirectResponse(f"/events/{slug}?saved=1", status_code=303)


# --- delete and undo ------------------------------------------------------------------------


@router.get("/events/{slug}/delete")
def confirm_delete(request: Request, slug: str, session: SessionDep, editor: EditorDep) -> Response:
    event = reading.get_by_slug(session, slug=slug)
    return render(
        request,
        "editing/delete.html",
        {"event": reading.to_read(event), "reason": "", "errors": {}},
    )


@router.post("/events/{slug}/delete")
async def delete_event(
    request: Request, slug: str, session: SessionDep, editor: EditorDep
) -> Response:
    data = await request.form()
    event = reading.get_by_slug(session, slug=slug)
    reason = str(data.get("reason") or "").strip()
    version = str(data.get("version") or "")
    if not reason:
        return render(
            request,
            "editing/delete.html",
            {
                "event": reading.to_read(event),
                "reason": reason,
                "errors": {"reason": "Say why it is deleted, so readers of the history know."},
            },
            status_code=422,
        )
    try:
        event_service.delete(
            session,
            slug=slug,
            expected_version=int(version) if version.isdigit() else None,
            author=editor.username,
            reason=reason,
        )
    except EditConflict:
        session.rollback()
        return render(
            request,
            "editing/delete.html",
            {
                "event": reading.to_read(event),
                "reason": reason,
                "errors": {
                    "form": "Someone changed this event since you opened this page. "
                    "Look at it again before deleting."
                },
            },
            status_code=409,
        )
    return RedirectResponse(f"/events/{slug}/history?deleted=1", status_code=303)


# --- history and restore --------------------------------------------------------------------


@router.get("/events/{slug}/history")
def history(
    request: Request, slug: str, session: SessionDep, editor: MaybeEditorDep, deleted: int = 0
) -> Response:
    event = reading.get_by_slug(session, slug=slug, include_deleted=True)
    kept = revisions.list_revisions(session, slug=slug)
    entries = []
    previous: dict[str, Any] | None = None
    for revision in kept:
        entries.append(
            {
                "revision": revision,
                "changes": revisions.changes(previous, revision.snapshot),
            }
        )
        previous = revision.snapshot
    entries.reverse()
    undo_version = None
    if event.deleted_at is not None:
        live = [r for r in kept if not r.snapshot.get("deleted")]
        undo_version = live[-1].version if live else None
    return render(
        request,
        "editing/history.html",
        {
            "event": event,
            "entries": entries,
            "just_deleted": bool(deleted) and event.deleted_at is not None,
            "undo_version": undo_version,
            "editor": editor,
        },
        json_url=f"/api/v1/events/{slug}/revisions",
    )


@router.post("/events/{slug}/history/{version}/restore")
def restore(
    request: Request, slug: str, version: int, session: SessionDep, editor: EditorDep
) -> Response:
    event_service.restore(session, slug=slug, version=version, author=editor.username)
    return RedirectResponse(f"/events/{slug}?restored={version}", status_code=303)


# --- pickers --------------------------------------------------------------------------------


@router.get("/editing/lookup/{kind}")
def lookup(kind: str, session: SessionDep, editor: EditorDep, q: str = "") -> Response:
    """Matches for a picker as you type: [{value, label}] (value is what the input takes)."""
    q = q.strip()[:100]
    items: list[dict[str, str]] = []
    if kind == "actors":
        for actor in actor_service.get_all(session, q=q or None, limit=20):
            label = actor.name + (f" — {actor.affiliation.name}" if actor.affiliation else "")
            items.append({"value": actor.name, "label": label, "slug": actor.slug})
    elif kind == "places":
        for place in place_service.get_all(session, q=q or None, limit=20):
            items.append({"value": place.name, "label": place.country or "", "slug": place.slug})
    elif kind == "events":
        query = select(Event).where(Event.deleted_at.is_(None))
        if q:
            needle = f"%{q.lower()}%"
            query = query.where(or_(func.lower(Event.title).like(needle), Event.slug.like(needle)))
        for event in session.scalars(query.order_by(Event.starts_at.desc()).limit(20)):
            items.append(
                {
                    "value": event.slug,
                    "label": f"{event.title} ({event.start_date})",
                    "slug": event.slug,
                }
            )
    else:
        raise InvalidInput.field(["kind"], "look up actors, places or events")
    return JSONResponse({"items": items})
