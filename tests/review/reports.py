"""Invented reports of three invented incidents for the review tests (written for Rashomon; no
sentence comes from any real report).  ``write(folder, names)`` writes them as txt files."""

from __future__ import annotations

from pathlib import Path

_HEAD = "---\ntitle: {title}\noutlet: {outlet}\npublished: {published}\n---\n"

REPORTS: dict[str, tuple[str, str, str, str]] = {
    # Kisumu: a shooting at a bus station (two reports, a third later).
    "kisumu_1": ("Gunmen kill five at Kisumu bus station", "Lakeside Ledger", "2026-02-03",
                 ("KISUMU — Gunmen killed five people at the main bus station in Kisumu on Monday, police said. "
                 "Regional police commander Odhiambo Wekesa said the attackers fired at travellers waiting for "
                 "an evening coach and escaped on foot towards the fish market.")),
    "kisumu_2": ("Bus station attack leaves six dead in Kisumu", "Nyanza Evening Star", "2026-02-03",
                 ("KISUMU — At least six people died when gunmen opened fire at the Kisumu bus station on Monday "
                 "evening, a doctor at the county referral hospital said. Witnesses told the Star that two men "
                 "with rifles walked into the waiting hall and began shooting at travellers.")),
    "kisumu_3": ("Toll of Kisumu bus station shooting rises to seven", "Lakeside Ledger", "2026-02-04",
                 ("KISUMU — The number of people killed in Monday's shooting at the Kisumu bus station has risen "
                 "to seven, police commander Odhiambo Wekesa said on Tuesday. The gunmen who attacked the "
                 "travellers at the bus station have not been found.")),
    "kisumu_4": ("Kisumu bus station reopens after shooting", "Nyanza Evening Star", "2026-02-05",
                 ("KISUMU — Coaches left the Kisumu bus station again on Wednesday, two days after gunmen killed "
                 "travellers in its waiting hall, and police commander Odhiambo Wekesa said armed officers would "
                 "guard the station at night.")),
    # Gulu: a grenade thrown into a bar.
    "gulu_1": ("Grenade attack on Gulu bar kills two", "Acholi Times", "2026-02-08",
               ("GULU — A grenade thrown into a crowded bar in Gulu killed two people and wounded eleven on "
               "Saturday night, police spokesman Okello Amone said. The attacker threw the grenade through a "
               "window and ran into the dark streets near the bus park.")),
    "gulu_2": ("Two dead, eleven hurt in Gulu grenade blast", "Northern Courier", "2026-02-08",
               ("GULU — Two people were killed and eleven injured when a grenade exploded in a bar in Gulu on "
               "Saturday, police said. Okello Amone, the police spokesman, said officers were searching for a "
               "man seen running from the bar moments before the blast.")),
    "gulu_3": ("Third victim of Gulu bar grenade dies", "Acholi Times", "2026-02-09",
               ("GULU — A third person wounded in Saturday's grenade attack on a bar in Gulu died in hospital on "
               "Sunday, police spokesman Okello Amone said, raising the number of dead from the grenade "
               "attack to three.")),
    "gulu_4": ("Gulu bar owner describes grenade night", "Northern Courier", "2026-02-10",
               ("GULU — The owner of the Gulu bar hit by a grenade on Saturday said the blast threw tables across "
               "the room, as police spokesman Okello Amone said two suspects had been questioned about the "
               "grenade attack.")),
    # Mopti: a boat fired on by gunmen on the river.
    "mopti_1": ("Gunmen fire on river boat near Mopti, killing four", "Delta Dispatch", "2026-02-15",
                ("MOPTI — Gunmen on motorbikes fired on a passenger boat on the river near Mopti on Friday, "
                "killing four passengers, a local official said. Mayor Boubacar Kanta said the boat was "
                "carrying traders to the weekly market when it came under fire from the bank.")),
}


def write(folder: Path, names: list[str]) -> list[Path]:
    """Write the named reports into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        title, outlet, published, body = REPORTS[name]
        path = folder / f"{name}.txt"
        path.write_text(_HEAD.format(title=title, outlet=outlet, published=published) + body + "\n", "utf-8")
        paths.append(path)
    return paths
