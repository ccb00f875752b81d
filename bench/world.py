"""The synthetic cast the generated events are about: states and their people, places, topics."""

from __future__ import annotations

from dataclasses import dataclass, field

# (name, aliases, capital place name); the first ones take part most often (see generate.py).
STATES: list[tuple[str, list[str]]] = [
    ("Russia", ["Russian Federation"]),
    ("Ukraine", []),
    ("United States", ["USA", "US"]),
    ("Turkey", ["Türkiye", "Turkiye"]),
    ("United Arab Emirates", ["UAE"]),
    ("Qatar", []),
    ("Saudi Arabia", ["KSA"]),
    ("China", ["PRC"]),
    ("France", []),
    ("Germany", ["FRG"]),
    ("United Kingdom", ["UK", "Britain"]),
    ("Poland", []),
    ("Belarus", ["Byelorussia"]),
    ("Moldova", []),
    ("Georgia", []),
    ("Armenia", []),
    ("Azerbaijan", []),
    ("Kazakhstan", []),
    ("Iran", []),
    ("Israel", []),
    ("Egypt", []),
    ("Switzerland", ["Swiss Confederation"]),
    ("Austria", []),
    ("Italy", []),
    ("Vatican", ["Holy See"]),
    ("India", []),
    ("Brazil", []),
    ("South Africa", []),
    ("Norway", []),
    ("Finland", []),
    ("Sweden", []),
    ("Hungary", []),
    ("Slovakia", []),
    ("Romania", []),
    ("Japan", []),
    ("South Korea", ["Republic of Korea"]),
    ("Indonesia", []),
    ("Oman", []),
    ("Jordan", []),
    ("Serbia", []),
]

ORGANIZATIONS: list[tuple[str, list[str]]] = [
    ("United Nations", ["UN"]),
    ("European Union", ["EU"]),
    ("OSCE", ["Organization for Security and Co-operation in Europe"]),
    ("IAEA", ["International Atomic Energy Agency"]),
    ("International Committee of the Red Cross", ["ICRC", "Red Cross"]),
    ("NATO", ["North Atlantic Treaty Organization"]),
    ("African Union", ["AU"]),
    ("Arab League", ["League of Arab States"]),
    ("Council of Europe", []),
    ("World Bank", []),
    ("International Monetary Fund", ["IMF"]),
    ("UNHCR", ["UN Refugee Agency"]),
    ("G7", ["Group of Seven"]),
    ("BRICS", []),
    ("Amnesty International", []),
]

# The offices each state's people hold.
OFFICES = [
    "President",
    "Foreign Minister",
    "Presidential spokesperson",
    "Chief negotiator",
    "Defence Minister",
    "Ambassador to the UN",
    "National Security Adviser",
]

FIRST_NAMES = (
    "Anna Boris Carla Dmitry Elena Farid Grace Hassan Irina Jonas Karim Lena Marco Nadia Oleg "
    "Petra Rustam Sofia Tomas Uma Viktor Wanda Yusuf Zara Andriy Olena Mykola Sergei Maria "
    "Ahmed Leila Steve Jared Marco Rafael Ines Kenji Mei Arjun Priya"
).split()
LAST_NAMES = (
    "Petrov Kovalenko Smith Yilmaz Al-Mansouri Al-Thani Wang Dubois Schmidt Brown Nowak "
    "Lukashenko Popescu Beridze Sargsyan Aliyev Nurlanov Rahimi Cohen Hassan Keller Gruber "
    "Rossi Moretti Sharma Silva Nkosi Hansen Virtanen Lindqvist Szabo Novak Ionescu Tanaka "
    "Kim Santoso Al-Busaidi Haddad Jovanovic Melnyk Shevchenko Ivanov Volkova Garcia Bauer"
).split()

# (name, aliases, country, latitude, longitude, IANA time zone)
PLACES: list[tuple[str, list[str], str, float, float, str]] = [
    ("Abu Dhabi", [], "United Arab Emirates", 24.45, 54.38, "Asia/Dubai"),
    ("Kyiv", ["Kiev"], "Ukraine", 50.45, 30.52, "Europe/Kyiv"),
    ("Moscow", ["Moskva"], "Russia", 55.76, 37.62, "Europe/Moscow"),
    ("Washington", ["Washington, D.C."], "United States", 38.9, -77.04, "America/New_York"),
    ("Istanbul", ["Constantinople"], "Turkey", 41.01, 28.98, "Europe/Istanbul"),
    ("Geneva", ["Genf", "Genève"], "Switzerland", 46.2, 6.14, "Europe/Zurich"),
    ("Doha", [], "Qatar", 25.29, 51.53, "Asia/Qatar"),
    ("Riyadh", [], "Saudi Arabia", 24.71, 46.68, "Asia/Riyadh"),
    ("Jeddah", ["Jiddah"], "Saudi Arabia", 21.49, 39.19, "Asia/Riyadh"),
    ("Minsk", [], "Belarus", 53.9, 27.57, "Europe/Minsk"),
    ("Vienna", ["Wien"], "Austria", 48.21, 16.37, "Europe/Vienna"),
    ("Paris", [], "France", 48.86, 2.35, "Europe/Paris"),
    ("Berlin", [], "Germany", 52.52, 13.4, "Europe/Berlin"),
    ("London", [], "United Kingdom", 51.51, -0.13, "Europe/London"),
    ("Warsaw", ["Warszawa"], "Poland", 52.23, 21.01, "Europe/Warsaw"),
    ("Beijing", ["Peking"], "China", 39.9, 116.4, "Asia/Shanghai"),
    ("New York", ["NYC"], "United States", 40.71, -74.01, "America/New_York"),
    ("Brussels", ["Bruxelles", "Brussel"], "Belgium", 50.85, 4.35, "Europe/Brussels"),
    ("Davos", [], "Switzerland", 46.8, 9.84, "Europe/Zurich"),
    ("Munich", ["München"], "Germany", 48.14, 11.58, "Europe/Berlin"),
    ("Ankara", [], "Turkey", 39.93, 32.86, "Europe/Istanbul"),
    ("Antalya", [], "Turkey", 36.9, 30.7, "Europe/Istanbul"),
    ("Chisinau", ["Kishinev"], "Moldova", 47.01, 28.86, "Europe/Chisinau"),
    ("Tbilisi", ["Tiflis"], "Georgia", 41.72, 44.79, "Asia/Tbilisi"),
    ("Yerevan", ["Erevan"], "Armenia", 40.18, 44.51, "Asia/Yerevan"),
    ("Baku", [], "Azerbaijan", 40.41, 49.87, "Asia/Baku"),
    ("Astana", ["Nur-Sultan"], "Kazakhstan", 51.17, 71.45, "Asia/Almaty"),
    ("Tehran", ["Teheran"], "Iran", 35.69, 51.39, "Asia/Tehran"),
    ("Cairo", [], "Egypt", 30.04, 31.24, "Africa/Cairo"),
    ("Rome", ["Roma"], "Italy", 41.9, 12.5, "Europe/Rome"),
    ("Vatican City", [], "Vatican", 41.9, 12.45, "Europe/Vatican"),
    ("New Delhi", ["Delhi"], "India", 28.61, 77.21, "Asia/Kolkata"),
    ("Brasilia", ["Brasília"], "Brazil", -15.79, -47.88, "America/Sao_Paulo"),
    ("Pretoria", ["Tshwane"], "South Africa", -25.75, 28.19, "Africa/Johannesburg"),
    ("Oslo", [], "Norway", 59.91, 10.75, "Europe/Oslo"),
    ("Helsinki", ["Helsingfors"], "Finland", 60.17, 24.94, "Europe/Helsinki"),
    ("Stockholm", [], "Sweden", 59.33, 18.07, "Europe/Stockholm"),
    ("Budapest", [], "Hungary", 47.5, 19.04, "Europe/Budapest"),
    ("Bratislava", ["Pressburg"], "Slovakia", 48.15, 17.11, "Europe/Bratislava"),
    ("Bucharest", ["București"], "Romania", 44.43, 26.1, "Europe/Bucharest"),
    ("Tokyo", [], "Japan", 35.68, 139.69, "Asia/Tokyo"),
    ("Seoul", [], "South Korea", 37.57, 126.98, "Asia/Seoul"),
    ("Jakarta", [], "Indonesia", -6.2, 106.85, "Asia/Jakarta"),
    ("Muscat", [], "Oman", 23.59, 58.41, "Asia/Muscat"),
    ("Amman", [], "Jordan", 31.95, 35.93, "Asia/Amman"),
    ("Belgrade", ["Beograd"], "Serbia", 44.79, 20.45, "Europe/Belgrade"),
    ("Zaporizhzhia", ["Zaporozhye"], "Ukraine", 47.84, 35.14, "Europe/Kyiv"),
    ("Odesa", ["Odessa"], "Ukraine", 46.48, 30.72, "Europe/Kyiv"),
    ("Kharkiv", ["Kharkov"], "Ukraine", 49.99, 36.23, "Europe/Kyiv"),
    ("Sochi", [], "Russia", 43.6, 39.73, "Europe/Moscow"),
    ("St Petersburg", ["Saint Petersburg", "Leningrad"], "Russia", 59.93, 30.34, "Europe/Moscow"),
    ("Miami", [], "United States", 25.76, -80.19, "America/New_York"),
    ("Anchorage", [], "United States", 61.22, -149.9, "America/Anchorage"),
    ("Dubai", [], "United Arab Emirates", 25.2, 55.27, "Asia/Dubai"),
    ("Camp David", [], "United States", 39.65, -77.46, "America/New_York"),
    ("Reykjavik", ["Reykjavík"], "Iceland", 64.15, -21.94, "Atlantic/Reykjavik"),
    ("Bern", ["Berne"], "Switzerland", 46.95, 7.45, "Europe/Zurich"),
    ("The Hague", ["Den Haag"], "Netherlands", 52.07, 4.3, "Europe/Amsterdam"),
    ("Copenhagen", ["København"], "Denmark", 55.68, 12.57, "Europe/Copenhagen"),
    ("Vilnius", [], "Lithuania", 54.69, 25.28, "Europe/Vilnius"),
]

# (tag name, weight): topics a negotiation keeps coming back to.
TOPICS: list[tuple[str, int]] = [
    ("Ceasefire", 30),
    ("Territories", 25),
    ("Prisoner exchange", 20),
    ("Security guarantees", 18),
    ("Sanctions", 18),
    ("Energy infrastructure", 14),
    ("Zaporizhzhia NPP", 8),
    ("Grain corridor", 8),
    ("Black Sea shipping", 8),
    ("Humanitarian corridors", 10),
    ("Peace plan", 14),
    ("20-point plan", 6),
    ("Reconstruction", 10),
    ("Frozen assets", 8),
    ("Elections", 6),
    ("Demilitarized zone", 6),
    ("Monitoring mission", 6),
    ("Refugees", 8),
    ("Missing persons", 5),
    ("Children", 5),
    ("Nuclear safety", 6),
    ("Arms supplies", 10),
    ("Air defence", 8),
    ("Gas transit", 6),
    ("Trade", 6),
    ("Minority rights", 4),
    ("Language law", 3),
    ("Church", 3),
    ("Crimea", 8),
    ("Donbas", 10),
    ("Kursk", 4),
    ("Transnistria", 3),
    ("Memorandum", 4),
    ("Summit", 8),
    ("Mediation", 10),
    ("Confidence-building measures", 5),
    ("Mine clearance", 4),
    ("Ports", 5),
    ("Railways", 3),
    ("Sports", 1),
    ("Culture", 1),
    ("Cyber", 3),
    ("Drones", 6),
    ("Airspace", 3),
    ("Water supply", 2),
    ("Electricity", 5),
    ("Fertilizer", 2),
    ("Debt", 2),
    ("Visa regime", 2),
    ("Border crossings", 4),
]

PUBLISHERS = [
    ("Reuters", "en"),
    ("Associated Press", "en"),
    ("Agence France-Presse", "fr"),
    ("BBC News", "en"),
    ("The Guardian", "en"),
    ("Financial Times", "en"),
    ("The New York Times", "en"),
    ("The Washington Post", "en"),
    ("Bloomberg", "en"),
    ("Al Jazeera", "en"),
    ("Kyiv Independent", "en"),
    ("Ukrainska Pravda", "uk"),
    ("Interfax", "ru"),
    ("TASS", "ru"),
    ("RIA Novosti", "ru"),
    ("Kommersant", "ru"),
    ("Meduza", "ru"),
    ("Deutsche Welle", "de"),
    ("Der Spiegel", "de"),
    ("Le Monde", "fr"),
    ("Anadolu Agency", "tr"),
    ("WAM", "ar"),
    ("Xinhua", "zh"),
    ("Politico Europe", "en"),
    ("Axios", "en"),
    ("News.Az", "en"),
    ("Euronews", "en"),
    ("RFE/RL", "en"),
]

VERBS = {
    "talks": ["hold talks in", "open a new round of talks in", "resume talks in", "end talks in"],
    "meeting": ["meet in", "hold a meeting in", "sit down in", "meet behind closed doors in"],
    "call": ["speak by phone, from", "hold a phone call, from", "talk by video link, from"],
    "statement": ["comment from", "issue a statement in", "speak to reporters in"],
    "proposal": ["table a proposal in", "put forward a plan in", "present a draft in"],
    "agreement": ["sign an agreement in", "agree in", "reach a deal in"],
    "other": ["attend an event in", "appear together in", "visit"],
}

SENTENCES = [
    "Both sides described the discussion as {tone}, and officials said work on {topic} would "
    "continue at the expert level.",
    "The talks focused on {topic}; a joint statement was not issued.",
    "According to people familiar with the matter, {topic} remained the main point of "
    "disagreement.",
    "Officials said the next contacts would take place within {days} days.",
    "Mediators presented proposals on {topic} and asked both delegations for written answers.",
    "The delegations exchanged lists concerning {topic} and agreed to check them.",
    "No date was set for another round, but both sides said the channel remained open.",
    "The statement came after several days of {tone} exchanges about {topic}.",
    "Observers noted that the wording on {topic} had changed since the previous round.",
    "A spokesperson later called the meeting {tone} and declined to give details.",
]

TONES = ["constructive", "difficult", "businesslike", "tense", "productive", "frank", "substantive"]

QUOTES = [
    "We discussed {topic} in detail, and there is a lot of progress.",
    "There is no agreement on {topic} yet; work continues.",
    "The next round could take place next week, if everything goes to plan.",
    "Our position on {topic} has not changed.",
    "We are ready to continue the dialogue on {topic} at any level.",
    "It was a {tone} conversation, and we agreed to keep talking.",
    "Nothing is agreed until everything is agreed.",
    "We expect concrete answers on {topic} before the next meeting.",
]


@dataclass
class Cast:
    """Every record the events refer to, with the ids they get in the database."""

    actors: list[dict[str, object]] = field(default_factory=list)
    places: list[dict[str, object]] = field(default_factory=list)
    tags: list[dict[str, object]] = field(default_factory=list)
    series: list[dict[str, object]] = field(default_factory=list)
