"""The labeled development set (tests/testdata/devset): import its releases from the corpus and
measure what the archive made of them against the labels read from the pages.

Each labeled email is paired with one printed email of the archive (an Appearance in the same
file) that agrees with it best on date, sender, subject and the start of its text; then every field
of each pair is compared. Recall: labeled emails that found a pair; precision: printed emails of
the labeled files that are a labeled email.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q

from documents.models import Appearance, Page, Recipient

DEVSET = Path(__file__).resolve().parent / "testdata" / "devset"
# A pair must agree on this much (see _agreement) to count as the same email.
PAIRING_THRESHOLD = 3.0
FIELDS = ("sender", "recipients", "date", "subject", "quoted", "bates")
WORST_SHOWN = 20


@dataclass
class Release:
    release: str
    title: str
    folder: str
    timezone: str
    emails: list[dict]
    not_email: list[dict] = field(default_factory=list)

    def files(self) -> list[str]:
        """Every file the labels name, emails and the files that hold none."""
        names = [email["file"] for email in self.emails] + [r["file"] for r in self.not_email]
        return list(dict.fromkeys(names))


def load_releases(include_ocr: bool = False) -> list[Release]:
    """The releases of the set; parts of one release (palin-part1.json...) are joined. Emails that
    only OCR can read are left out unless ``include_ocr``."""
    releases: dict[str, Release] = {}
    for path in sorted(DEVSET.glob("*.json")):
        data = json.loads(path.read_text())
        emails = [e for e in data["emails"] if include_ocr or not e.get("needs_ocr")]
        known = releases.get(data["release"])
        if known is None:
            releases[data["release"]] = Release(
                data["release"],
                data["title"],
                data["corpus_folder"],
                data["timezone"],
                emails,
                data.get("not_email", []),
            )
        else:
            known.emails += emails
            known.not_email += data.get("not_email", [])
    return list(releases.values())


@dataclass
class Disagreement:
    file: str
    page: int | None
    what: str
    expected: object
    got: object

    def __str__(self) -> str:
        return (
            f"{self.file} p.{self.page} {self.what}: expected {self.expected!r}, got {self.got!r}"
        )


@dataclass
class Figures:
    labeled: int = 0
    printed: int = 0
    paired: int = 0
    right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    counted: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    places_found: int = 0
    places_right: int = 0
    places_labeled: int = 0
    disagreements: list[Disagreement] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.paired / self.labeled if self.labeled else 1.0

    @property
    def precision(self) -> float:
        return self.paired / self.printed if self.printed else 1.0

    def accuracy(self, name: str) -> float:
        return self.right[name] / self.counted[name] if self.counted[name] else 1.0

    @property
    def places_precision(self) -> float:
        return self.places_right / self.places_found if self.places_found else 1.0

    @property
    def places_recall(self) -> float:
        return self.places_right / self.places_labeled if self.places_labeled else 1.0

    def scores(self) -> dict[str, float]:
        return {
            "recall": self.recall,
            "precision": self.precision,
            **{name: self.accuracy(name) for name in FIELDS},
            "places precision": self.places_precision,
            "places recall": self.places_recall,
        }

    def add(self, other: Figures) -> None:
        self.labeled += other.labeled
        self.printed += other.printed
        self.paired += other.paired
        for name in FIELDS:
            self.right[name] += other.right[name]
            self.counted[name] += other.counted[name]
        self.places_found += other.places_found
        self.places_right += other.places_right
        self.places_labeled += other.places_labeled
        self.disagreements += other.disagreements


def evaluate(release: Release, batch_name: str, with_ocr: bool = False) -> Figures:
    """Compare the archive's emails of the release (imported as ``batch_name``, each file under
    its base name) with the labels; without ``with_ocr`` (the labels of emails only OCR reads
    left out), emails on pages the import OCR'd are left out too."""
    zone = ZoneInfo(release.timezone)
    figures = Figures()
    by_file: dict[str, list[dict]] = defaultdict(list)
    for email in release.emails:
        by_file[Path(email["file"]).name].append(email)
    for name in {Path(file).name for file in release.files()}:
        labeled = by_file.get(name, [])
        printed = list(_printed(batch_name, name, with_ocr))
        figures.labeled += len(labeled)
        figures.printed += len(printed)
        pairs = _pairs(labeled, printed, zone)
        for truth, appearance in pairs:
            figures.paired += 1
            _compare(truth, appearance, zone, figures)
        paired_truths = {id(truth) for truth, _ in pairs}
        for truth in labeled:
            if id(truth) not in paired_truths:
                figures.disagreements.append(
                    Disagreement(name, truth["first_page"], "missed", _describe(truth), None)
                )
    return figures


def report(figures: Figures, title: str, shown: int = WORST_SHOWN) -> str:
    lines = [f"{title}: {figures.labeled} labeled emails, {figures.printed} printed emails found"]
    lines += [f"  {name:<17} {value:6.3f}" for name, value in figures.scores().items()]
    worst = figures.disagreements[:shown]
    if worst:
        lines.append(f"  disagreements ({len(figures.disagreements)}; first {len(worst)}):")
        lines += [f"    {d}" for d in worst]
    return "\n".join(lines)


# --- pairing ---------------------------------------------------------------------------------


def _printed(batch_name: str, file_name: str, with_ocr: bool):
    """The printed emails of a file, and of the files embedded in it (a PDF portfolio's)."""
    found = Appearance.objects.filter(
        Q(source_file__original_name=file_name)
        | Q(source_file__original_name__startswith=f"{file_name}/"),
        source_file__batch__name=batch_name,
    )
    if not with_ocr:
        ocrd = Page.objects.filter(
            source_file=OuterRef("source_file"),
            number=OuterRef("first_page"),
            ocr_confidence__isnull=False,
        )
        found = found.exclude(Exists(ocrd))
    return (
        found.select_related("document__sender")
        .prefetch_related("document__recipient_entries__person", "document__jurisdictions")
        .order_by("position")
    )


def _pairs(labeled: list[dict], printed: list[Appearance], zone) -> list[tuple[dict, Appearance]]:
    """Each labeled email with the printed one that agrees with it best, greedily."""
    scored = sorted(
        (
            (_agreement(truth, appearance, zone), index, position)
            for index, truth in enumerate(labeled)
            for position, appearance in enumerate(printed)
        ),
        reverse=True,
    )
    taken_truth, taken_printed, pairs = set(), set(), []
    for score, index, position in scored:
        if score < PAIRING_THRESHOLD or index in taken_truth or position in taken_printed:
            continue
        taken_truth.add(index)
        taken_printed.add(position)
        pairs.append((labeled[index], printed[position]))
    return pairs


def _agreement(truth: dict, appearance: Appearance, zone) -> float:
    document = appearance.document
    score = 0.0
    if _same_date(truth.get("date"), document.sent_at, zone) and truth.get("date"):
        score += 2
    if _sender_matches(truth.get("from"), appearance):
        score += 2
    if _subject(truth.get("subject", "")) == _subject(document.subject):
        score += 1
    start = _words(truth.get("body_start", ""))
    if start and _words(document.body).startswith(start):
        score += 2
    if truth.get("quoted", False) == (appearance.kind == Appearance.Kind.QUOTED):
        score += 0.5
    if truth.get("first_page") == appearance.first_page:
        score += 0.5
    return score


# --- comparing -------------------------------------------------------------------------------


def _compare(truth: dict, appearance: Appearance, zone, figures: Figures) -> None:
    document = appearance.document
    where = (Path(truth["file"]).name, truth.get("first_page"))

    def judge(name: str, right: bool, expected, got) -> None:
        figures.counted[name] += 1
        figures.right[name] += right
        if not right:
            figures.disagreements.append(Disagreement(*where, name, expected, got))

    judge(
        "sender",
        _sender_matches(truth.get("from"), appearance),
        truth.get("from"),
        _shown_sender(appearance),
    )
    wanted = [*truth.get("to", []), *truth.get("cc", [])]
    got = [entry for entry in document.recipient_entries.all() if entry.field != "bcc"]
    judge(
        "recipients",
        _same_people(wanted, got),
        [_label(p) for p in wanted],
        [_entry_label(e) for e in got],
    )
    judge(
        "date",
        _same_date(truth.get("date"), document.sent_at, zone),
        truth.get("date"),
        document.sent_at.astimezone(zone).isoformat() if document.sent_at else None,
    )
    judge(
        "subject",
        _subject(truth.get("subject", "")) == _subject(document.subject),
        truth.get("subject"),
        document.subject,
    )
    judge(
        "quoted",
        truth.get("quoted", False) == (appearance.kind == Appearance.Kind.QUOTED),
        truth.get("quoted", False),
        appearance.kind,
    )
    if truth.get("bates"):
        judge(
            "bates",
            _squeeze(truth["bates"]) == _squeeze(appearance.bates_start),
            truth["bates"],
            appearance.bates_start,
        )
    labeled = set(truth.get("places", []))
    found = {place.slug for place in document.jurisdictions.all()}
    figures.places_labeled += len(labeled)
    figures.places_found += len(found)
    figures.places_right += len(labeled & found)
    if labeled != found:
        figures.disagreements.append(Disagreement(*where, "places", sorted(labeled), sorted(found)))


def _sender_matches(truth, appearance: Appearance) -> bool:
    document = appearance.document
    if truth is None:
        return document.sender is None and not document.sender_raw and not document.sender_redacted
    if truth.get("redacted"):
        return document.sender_redacted
    name, email = _shown_sender(appearance)
    return _person_matches(truth, name, email, _addresses(document.sender))


def _shown_sender(appearance: Appearance) -> tuple[str, str]:
    """The sender as the archive shows it: the person's name and address, else the raw line."""
    document = appearance.document
    if document.sender is not None:
        return document.sender.name, document.sender.email
    return document.sender_raw, ""


def _person_matches(truth: dict, name: str, email: str, known: frozenset = frozenset()) -> bool:
    """The labeled person against the one shown. With the printed address matched (the person's
    own, or another the archive knows for them), the person is found: the page's name need only
    share the surname ("Kris" printed where another page prints "Kristina"). Without a labeled
    address, the names must agree and no address may contradict a labeled one."""
    wanted = (truth.get("email") or "").lower()
    if wanted:
        if wanted != (email or "").lower() and wanted not in known:
            return False
        if not truth.get("name") or not name:
            return True
        return _name_key(truth["name"]).split()[-1:] == _name_key(name).split()[-1:]
    if truth.get("name"):
        return _name_key(truth["name"]) == _name_key(name)
    return not name or _name_key(name) == _name_key(email.split("@")[0])


def _addresses(person) -> frozenset:
    """Every address the archive knows for ``person`` (its aliases keep the others)."""
    if person is None:
        return frozenset()
    keys = person.aliases.filter(normalized__startswith="email:").values_list(
        "normalized", flat=True
    )
    return frozenset(key.removeprefix("email:") for key in keys)


def _same_people(wanted: list[dict], got: list[Recipient]) -> bool:
    if len(wanted) != len(got):
        return False
    remaining = list(got)
    for person in wanted:
        for entry in remaining:
            if _entry_matches(person, entry):
                remaining.remove(entry)
                break
        else:
            return False
    return True


def _entry_matches(person: dict, entry: Recipient) -> bool:
    """The labeled recipient against the entry: the person it was resolved to, or the name as the
    entry printed it when that person is the same one under a fuller spelling ("Kristina Y Perry"
    printed, "Kris Perry" in the People directory: same surname, no labeled address against it)."""
    if person.get("redacted"):
        return entry.redacted
    if entry.person is None:
        return _person_matches(person, entry.raw, "")
    known = _addresses(entry.person) | {entry.person.email.lower()}
    if _person_matches(person, entry.person.name, entry.person.email, known):
        return True
    printed = _PRINTED_NAME.sub("", entry.raw).strip()
    return (
        bool(person.get("name"))
        and _name_key(person["name"]) == _name_key(printed)
        and _name_key(printed).split()[-1:] == _name_key(entry.person.name).split()[-1:]
        and (not person.get("email") or person["email"].lower() in known)
    )


# What follows a printed name in a recipient entry: its address in brackets.
_PRINTED_NAME = re.compile(r"\s*[<\[(].*$")


def _same_date(truth: str | None, sent_at: datetime | None, zone) -> bool:
    if truth is None or sent_at is None:
        return truth is None and sent_at is None
    moment = datetime.fromisoformat(truth)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return abs((moment - sent_at).total_seconds()) < 60


# What OCR makes of "FW:" and "RE:" ("FVV:", "Fw;", "RE;"): compared as the page prints them.
_DAMAGED_PREFIX = re.compile(r"^(?P<kind>fvv|fvw|fwv|fwd|fw|re)\s*[:;]\s*")


def _subject(text: str) -> str:
    """A subject as compared: spacing, case and OCR damage to its prefix aside."""
    text = " ".join((text or "").split()).casefold()
    prefix = _DAMAGED_PREFIX.match(text)
    if prefix:
        text = ("re: " if prefix["kind"] == "re" else "fw: ") + text[prefix.end() :]
    return text


def _name_key(name: str) -> str:
    """First and last word, accents, case and punctuation aside ("Fagerstrom, Erika" and "Erika
    M. Fagerstrom" agree)."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    if "," in text and "@" not in text:
        last, _, first = text.partition(",")
        text = f"{first} {last}"
    words = re.sub(r"[^a-z0-9 ]+", " ", text.replace("'", "")).split()
    if not words:
        return ""
    return words[0] if len(words) == 1 else f"{words[0]} {words[-1]}"


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).split())


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text or "").upper()


def _label(person: dict) -> str:
    if person.get("redacted"):
        return "(redacted)"
    return f"{person.get('name', '')} <{person.get('email', '')}>"


def _entry_label(entry: Recipient) -> str:
    if entry.redacted:
        return "(redacted)"
    if entry.person is None:
        return entry.raw
    return f"{entry.person.name} <{entry.person.email}>"


def _describe(truth: dict) -> str:
    sender = truth.get("from") or {}
    who = "(redacted)" if sender.get("redacted") else sender.get("name") or sender.get("email")
    return f"{who}, {truth.get('date')}, {truth.get('subject')!r}"
