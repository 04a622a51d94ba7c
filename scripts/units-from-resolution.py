#!/usr/bin/env python3
"""Writes config/reference/units.csv from the map gathered from Resolution 1683/NQ-UBTVQH15 (../shared/reference).

Run from the project's root: python3 scripts/units-from-resolution.py ../shared/reference > config/reference/units.csv
A former unit ends on 2025-06-30 and names its successor(s); a split unit lists the part that kept most of it
("phần còn lại") first, which is the one reports group its old dossiers under. The two units the resolution did not
rearrange keep one row (Sảng Mộc) or, when their province changed, end and start again under the same code (Thượng Quan).
"""
import csv
import sys
from collections import OrderedDict

KINDS = ("thị trấn ", "phường ", "xã ")
PROVINCES = {"tỉnh Thái Nguyên": "19", "tỉnh Bắc Kạn": "06"}


def split_kind(full):
    for kind in KINDS:
        if full.startswith(kind):
            return kind.strip(), full[len(kind):]
    raise SystemExit(f"no kind in {full!r}")


folder = sys.argv[1]
new_units = list(csv.DictReader(open(f"{folder}/thai-nguyen-communes-2025.csv", encoding="utf-8")))
former = list(csv.DictReader(open(f"{folder}/thai-nguyen-former-to-new-2025.csv", encoding="utf-8")))

clauses = {}
for row in former:
    clauses.setdefault(row["newCode"], set()).add(row["clause"].replace("NQ 1683 Điều 1 khoản ", ""))

ended = OrderedDict()
for row in former:
    unit = ended.setdefault(row["oldCode"], {"row": row, "successors": [], "clauses": []})
    if row["part"] == "phần còn lại":
        unit["successors"].insert(0, row["newCode"])
    else:
        unit["successors"].append(row["newCode"])
    unit["clauses"].append(f'{row["part"]} → {row["newCode"]}: {row["clause"]}')

out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["code", "validFrom", "validTo", "name", "kind", "provinceCode", "formerDistrict", "successors", "successorProvince", "source"])
for code, unit in ended.items():
    row = unit["row"]
    kind, name = split_kind(row["oldName"])
    province = PROVINCES[row["oldProvince"]]
    if row["part"].startswith("không sắp xếp") and province == "19":
        out.writerow([code, "", "", name, kind, province, row["oldDistrict"], "", "", f'not rearranged: {row["clause"]}'])
        continue
    out.writerow([
        code, "", "2025-06-30", name, kind, province, row["oldDistrict"], "|".join(unit["successors"]),
        "19" if province != "19" else "", "; ".join(unit["clauses"]),
    ])
for row in new_units:
    if row["code"] == "05719":
        continue  # Sảng Mộc: one row above, in force throughout
    clause = "|".join(sorted(clauses[row["code"]], key=int))
    out.writerow([row["code"], "2025-07-01", "", row["name"], row["kind"], "19", "", "", "", f"NQ 1683 Điều 1 khoản {clause}"])
