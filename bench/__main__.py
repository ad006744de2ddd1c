"""`make bench`: every benchmark, one after the other (not timed tests: figures to read)."""

from bench import bench_free_slots_db, bench_pages, bench_race, bench_slots_engine

print("== slot engine (pure, no database) ==")
bench_slots_engine.main()
print("\n== free slots from PostgreSQL, teacher with 10,000 bookings ==")
bench_free_slots_db.main()
print("\n== booking race, PostgreSQL and SQLite (wider and longer than the test suite's) ==")
bench_race.main()
print("\n== pages under load beside a bare Django view (PostgreSQL + Redis 1x and 10x, SQLite) ==")
bench_pages.main()
