"""Generated news reports for the reliability tests: invented incidents, each told by two or three
outlets (an original, a rewrite with another toll, sometimes a republication), written as JSONL and
text files.  Deterministic for a given seed; the texts are the project's own templates."""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

# Towns the packaged gazetteer knows, with their country (the generated incidents happen there).
TOWNS: tuple[tuple[str, str], ...] = (
    ("Gao", "Mali"), ("Mopti", "Mali"), ("Timbuktu", "Mali"), ("Kidal", "Mali"),
    ("Maiduguri", "Nigeria"), ("Kano", "Nigeria"), ("Zaria", "Nigeria"), ("Yola", "Nigeria"),
    ("Beni", "the Democratic Republic of the Congo"), ("Bunia", "the Democratic Republic of the Congo"),
    ("Kismayo", "Somalia"), ("Baidoa", "Somalia"), ("Diffa", "Niger"), ("Tahoua", "Niger"),
    ("Bamenda", "Cameroon"), ("Maroua", "Cameroon"), ("Kandahar", "Afghanistan"), ("Herat", "Afghanistan"),
    ("Mosul", "Iraq"), ("Kirkuk", "Iraq"), ("Taiz", "Yemen"), ("Marib", "Yemen"),
    ("Pemba", "Mozambique"), ("Djibo", "Burkina Faso"),
)
OUTLETS = ("Sahel Courier", "River Post", "Daily Ledger", "Frontier Wire", "Morning Signal", "Plains Herald")
TARGETS = ("market", "bus station", "checkpoint", "mosque", "church", "village", "camp for displaced people")
ATTACKERS = ("Gunmen", "Armed men", "Suspected militants", "Fighters on motorcycles")
SPEAKERS = ("police said", "a local official said", "the regional governor said", "residents said")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NUMBERS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


@dataclass(frozen=True)
class Report:
    """One generated article, in the JSONL article shape."""

    title: str
    outlet: str
    published: str
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"title": self.title, "outlet": self.outlet, "published": self.published, "text": self.text}


def incident_reports(k: int, rnd: random.Random) -> list[Report]:
    """The reports of invented incident ``k``: an original, a rewrite and maybe a republication."""
    town, country = TOWNS[k % len(TOWNS)]
    day = dt.date(2024, 1, 1) + dt.timedelta(days=11 * k + rnd.randrange(5))
    weekday = WEEKDAYS[day.weekday()]
    published = day + dt.timedelta(days=1)
    killed = rnd.randrange(2, len(NUMBERS) + 2)
    injured = rnd.randrange(3, 30)
    target = rnd.choice(TARGETS)
    attackers = rnd.choice(ATTACKERS)
    speaker = rnd.choice(SPEAKERS)
    first, second, third = rnd.sample(OUTLETS, 3)
    original = (
        f"{town.upper()}, {country} — {attackers} killed {NUMBERS[killed - 2]} people and wounded {injured} others "
        f"in an attack on a {target} in {town} on {weekday}, {speaker}.\n\n"
        f"The attackers arrived at dawn and opened fire before setting several shops alight, witnesses said. "
        f"\"We hid in the fields until the shooting stopped,\" said one trader, who asked not to be named.\n\n"
        f"No group has claimed the attack. Security forces were sent to {town} later in the day."
    )
    rewrite = (
        f"At least {killed + 3} people died when {attackers.lower()} stormed a {target} in {town}, {country}, "
        f"on {weekday}, a health worker at the main hospital told reporters.\n\n"
        f"The health worker said {injured + 4} wounded people had been brought in overnight. "
        f"Officials have given a lower toll. The {target} had been attacked before, residents said."
    )
    reports = [
        Report(f"{attackers} kill {killed} in {town} {target} attack", first, published.isoformat(), original),
        Report(f"Toll from {town} attack rises to {killed + 3}", second, (published + dt.timedelta(days=1)).isoformat(),
               rewrite),
    ]
    if k % 3 == 0:
        reports.append(Report(f"{town}: {killed} killed in attack on {target}", third,
                              (published + dt.timedelta(days=1)).isoformat(),
                              original + f"\n\nThis article first appeared in {first}."))
    return reports


def generate(n_incidents: int, seed: int = 7) -> list[Report]:
    """Reports of ``n_incidents`` invented incidents (two or three each), in a stable order."""
    rnd = random.Random(seed)
    return [report for k in range(n_incidents) for report in incident_reports(k, rnd)]


def write_corpus(folder: Path, n_incidents: int, seed: int = 7) -> Path:
    """Write the generated reports under ``folder``: most in one JSONL file, every fifth as a .txt
    file with front matter (two formats through the same run).  Returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for index, report in enumerate(generate(n_incidents, seed)):
        if index % 5 == 4:
            front = f"---\ntitle: {report.title}\noutlet: {report.outlet}\npublished: {report.published}\n---\n"
            (folder / f"report_{index:04d}.txt").write_text(front + report.text + "\n", encoding="utf-8")
        else:
            lines.append(json.dumps(report.as_dict(), ensure_ascii=False))
    (folder / "generated.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder
