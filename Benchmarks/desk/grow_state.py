"""Copies a state's case-file rows until it holds COUNT, each a minute older than the last,
with every fifth one confirmed and every seventh dismissed (so the status counts have work)."""
import sqlite3
import sys

path, count = sys.argv[1], int(sys.argv[2])
database = sqlite3.connect(path)
columns = [row[1] for row in database.execute("PRAGMA table_info(case_file)")]
templates = database.execute(f"SELECT {', '.join(columns)} FROM case_file").fetchall()
existing = len(templates)
rows = []
for index in range(existing, count):
    row = dict(zip(columns, templates[index % existing]))
    row["id"] = f"{index:024x}"
    row["item_id"] = f"https://bangku.example/pos/{index}"
    row["path"] = f"{row['id'][:2]}/{row['id']}"
    row["supersedes"] = None
    row["review_status"] = "confirmed" if index % 5 == 0 else ("dismissed" if index % 7 == 0 else "new")
    rows.append(row)
for offset, row in enumerate(rows):
    minutes = offset
    row["created_at"] = f"2024-{1 + (minutes // 43200) % 12:02d}-{1 + (minutes // 1440) % 28:02d} {(minutes // 60) % 24:02d}:{minutes % 60:02d}:00.000"
database.executemany(f"INSERT INTO case_file ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                     [[row[column] for column in columns] for row in rows])
database.commit()
print(f"state: {database.execute('SELECT COUNT(*) FROM case_file').fetchone()[0]} case files", file=sys.stderr)
