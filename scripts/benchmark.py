"""University-scale benchmark of university_library: prints one table per run.

    python scripts/benchmark.py --template DB --sizes tiny,small,large [odoo options]

For each size the template database (the add-on with its demo data) is copied and grown with
Odoo 18's populate (SQL duplication of the demo records), then measured in-process:
desk checkout/return/renewal (server time per item, median and 95th percentile) for a member
with no history and one with 500 past loans; the nightly fine job over all overdue loans (loans
per second, first and second run the same day) against a naive per-record ORM loop on a sample;
clearance of one member and of 10,000 members in bulk; the book-fund figures.
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

# factors for odoo-bin populate (copies of each demo record), per size. Loans are duplicated with
# their copies (the same factor keeps one open loan per copy); past loans are then added in SQL.
SIZES = {
    "tiny": {"library.member": 1, "library.title": 1, "library.copy": 1, "library.loan": 1, "library.hold": 1},
    "small": {"library.member": 20, "library.title": 30, "library.copy": 20, "library.loan": 20,
              "library.hold": 20},
    "medium": {"library.member": 200, "library.title": 300, "library.copy": 180, "library.loan": 180,
               "library.hold": 180},
    # about 100,000 members, 1,000,000 copies, 2,000,000 past loans, 100,000 open (30,000 overdue)
    "large": {"library.member": 2200, "library.title": 3300, "library.copy": 1800, "library.loan": 1800,
              "library.hold": 1800},
}
OPEN_LOANS = {"tiny": None, "small": None, "medium": 10_000, "large": 100_000}
PAST_LOANS = {"tiny": 0, "small": 20_000, "medium": 200_000, "large": 2_000_000}


ODOO_BIN = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return (time.perf_counter() - start) * 1000, result


def populate(db, size, odoo_args):
    factors = SIZES[size]
    subprocess.run([sys.executable, ODOO_BIN, "populate", *odoo_args, "-d", db, "--log-level=warn",
                    "--models", ",".join(factors), "--factors", ",".join(str(f) for f in factors.values())],
                   check=True)


def shape(env, size):
    """Keep the open loans at the size's figure (the rest become history) and 30% of them overdue."""
    cr = env.cr
    cap = OPEN_LOANS[size]
    if cap:
        cr.execute("""UPDATE library_loan SET state = 'returned', date_returned = due_date
                       WHERE id IN (SELECT id FROM library_loan WHERE state IN ('open', 'overdue')
                                    ORDER BY id OFFSET %s)""", [cap])
        cr.execute("""UPDATE library_copy c SET state = 'available', current_loan_id = NULL
                       WHERE c.state = 'on_loan' AND NOT EXISTS (SELECT 1 FROM library_loan l
                             WHERE l.copy_id = c.id AND l.state IN ('open', 'overdue'))""")
    cr.execute("SELECT count(*) FROM library_loan WHERE state = 'returned'")
    missing = PAST_LOANS[size] - cr.fetchone()[0]
    if missing > 0:
        cr.execute("SELECT min(id), max(id) FROM library_copy")
        low, high = cr.fetchone()
        cr.execute("SELECT min(id), max(id) FROM library_member")
        member_low, member_high = cr.fetchone()
        cr.execute("""
            INSERT INTO library_loan (name, member_id, copy_id, title_id, material_type_id, branch_id, company_id,
                                      category_id, state, date_checkout, due_date, date_returned, renewal_count,
                                      fine_amount, fine_days, create_uid, write_uid, create_date, write_date)
            SELECT 'HIST/' || g, m.id, c.id, c.title_id, c.material_type_id, c.branch_id, c.company_id,
                   m.category_id, 'returned', CURRENT_DATE - 30 - (g %% 1400), CURRENT_DATE - 20 - (g %% 1400),
                   CURRENT_DATE - 21 - (g %% 1400), 0, 0, 0, 1, 1, now(), now()
              FROM generate_series(1, %s) g
              JOIN library_copy c ON c.id = %s + (g::bigint * 7919) %% (%s - %s + 1)
              JOIN library_member m ON m.id = %s + (g::bigint * 104729) %% (%s - %s + 1)
        """, [missing, low, high, low, member_low, member_high, member_low])
        cr.execute("ANALYZE library_loan")
    today = date.today()
    cr.execute("""UPDATE library_loan SET due_date = CASE WHEN id %% 10 < 3 THEN %s ELSE %s END,
                                          state = CASE WHEN id %% 10 < 3 THEN 'overdue' ELSE 'open' END
                   WHERE state IN ('open', 'overdue')""", [today - timedelta(days=12), today + timedelta(days=8)])
    cr.commit()
    # a production database is vacuumed and analysed; a freshly bulk-loaded one is not yet
    subprocess.run(["psql", "-q", "-d", cr.dbname, "-c",
                    "VACUUM ANALYZE library_loan, library_copy, library_member, library_title, mail_message"],
                   check=True)


def counts(env):
    cr = env.cr
    figures = {}
    for label, query in (("members", "SELECT count(*) FROM library_member"),
                         ("copies", "SELECT count(*) FROM library_copy"),
                         ("loans", "SELECT count(*) FROM library_loan"),
                         ("open loans", "SELECT count(*) FROM library_loan WHERE state IN ('open', 'overdue')"),
                         ("overdue", "SELECT count(*) FROM library_loan WHERE state IN ('open', 'overdue') "
                                     "AND due_date < CURRENT_DATE"),
                         ("holds", "SELECT count(*) FROM library_hold")):
        cr.execute(query)
        figures[label] = cr.fetchone()[0]
    return figures


def desk_figures(env, member, copies, rounds):
    """Median and p95 (ms) of checkout, renewal and return at the desk, one transaction each."""
    desk = env["library.desk"]
    results = {"checkout": [], "renew": [], "return": []}
    for copy in copies[:rounds]:
        for name, call in (("checkout", lambda: desk.desk_checkout(member.id, copy.barcode)),
                           ("renew", lambda: desk.desk_renew(member.id, copy.barcode)),
                           ("return", lambda: desk.desk_return(copy.barcode))):
            elapsed, _result = timed(call)
            env.flush_all()
            env.cr.commit()
            results[name].append(elapsed)
    return {name: (statistics.median(values), percentile(values, 0.95)) for name, values in results.items()}


def member_with_history(env, category, past_loans=500):
    partner = env["res.partner"].create({"name": "Benchmark Reader With History"})
    member = env["library.member"].create({"partner_id": partner.id, "category_id": category.id, "state": "active",
                                           "date_end": date.today() + timedelta(days=900)})
    env.flush_all()
    env.cr.execute("""
        INSERT INTO library_loan (name, member_id, copy_id, company_id, state, date_checkout, due_date, date_returned,
                                  renewal_count, fine_amount, fine_days, create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH/' || g, %s, c.id, c.company_id, 'returned', CURRENT_DATE - 400 + (g %% 300),
               CURRENT_DATE - 390 + (g %% 300), CURRENT_DATE - 389 + (g %% 300), 0, 0, 0, 1, 1, now(), now()
          FROM generate_series(1, %s) g
          JOIN LATERAL (SELECT id, company_id FROM library_copy ORDER BY id OFFSET g LIMIT 1) c ON TRUE
    """, [member.id, past_loans])
    env.cr.commit()
    return member


def naive_fine_loop(env, day, sample):
    """The same work as the nightly job, done record by record with the ORM (for comparison)."""
    loans = env["library.loan"].search([("state", "in", ("open", "overdue")), ("due_date", "<", day)], limit=sample)
    start = time.perf_counter()
    for loan in loans:
        amount, days = loan._compute_fine_until(day)
        loan.write({"fine_amount": amount, "fine_days": days, "fine_date": day, "state": "overdue"})
    env.flush_all()
    elapsed = time.perf_counter() - start
    env.cr.rollback()
    return len(loans) / elapsed if elapsed else 0.0


def measure(db, size):
    registry = Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        shape(env, size)
        company = env["res.company"].search([("library_policy_id", "!=", False), ("chart_template", "!=", False)],
                                            limit=1)
        env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": company.ids})
        rows = [("data", ", ".join(f"{k} {v:,}" for k, v in counts(env).items()))]
        category = env.ref("university_library.category_faculty")
        copies = env["library.copy"].search([("state", "=", "available"), ("material_type_id.may_leave", "=", True),
                                             ("material_type_id.is_reserve", "=", False),
                                             ("company_id", "=", company.id)], limit=130)
        fresh_partner = env["res.partner"].create({"name": "Benchmark New Reader"})
        fresh = env["library.member"].create({"partner_id": fresh_partner.id, "category_id": category.id,
                                              "state": "active", "company_id": company.id})
        cr.commit()
        # warm the caches (first requests of a worker), then 30 rounds per member
        desk_figures(env, fresh, copies[-5:], 5)
        rounds = min(30, (len(copies) - 5) // 2)
        for label, member, batch in (("no history", fresh, copies[:rounds]),
                                     ("500 past loans", member_with_history(env, category), copies[rounds:2 * rounds])):
            for name, (median, p95) in desk_figures(env, member, batch, rounds).items():
                rows.append((f"desk {name} ({label})", f"median {median:.1f} ms, p95 {p95:.1f} ms"))
        day = date.today()
        Loan = env["library.loan"]
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        elapsed, done = timed(Loan._cron_accrue_fines, day)
        rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
        cr.commit()
        rows.append(("nightly fines, first run", f"{done:,} loans in {elapsed / 1000:.2f} s = "
                                                 f"{done / (elapsed / 1000) if elapsed else 0:,.0f} loans/s, "
                                                 f"peak memory +{rss_growth:.0f} MB"))
        elapsed2, done2 = timed(Loan._cron_accrue_fines, day)
        cr.commit()
        rows.append(("nightly fines, second run", f"{done2:,} loans in {elapsed2 / 1000:.2f} s"))
        naive = naive_fine_loop(env, day + timedelta(days=1), min(done, 2000))
        batch_rate = done / (elapsed / 1000) if elapsed else 0
        rows.append(("naive ORM loop (sample)", f"{naive:,.0f} loans/s; the job is {batch_rate / naive if naive else 0:.1f}x "
                                                "faster"))
        Notice = env["library.notice"]
        before = Notice.search_count([])
        notice_ms, _done = timed(Notice._cron_send_notices)
        sent = Notice.search_count([]) - before
        cr.commit()
        rows.append(("notices job, first run", f"{sent:,} notices (emails and SMS queued) in {notice_ms / 1000:.2f} s = "
                                               f"{sent / (notice_ms / 1000) if notice_ms else 0:,.0f} notices/s"))
        again_ms, _done = timed(Notice._cron_send_notices)
        rows.append(("notices job, second run", f"{Notice.search_count([]) - before - sent:,} new notices in "
                                                f"{again_ms / 1000:.2f} s (nothing is sent twice)"))
        cr.commit()
        members = env["library.member"].search([("company_id", "=", company.id)], limit=10_000)
        one_ms, _blockers = timed(members[:1]._clearance_blockers)
        rows.append(("clearance, one member", f"{one_ms:.1f} ms"))
        bulk_ms, _result = timed(members._clearance_blockers_batch)
        rows.append((f"clearance, {len(members):,} members", f"{bulk_ms / 1000:.2f} s"))
        report = env["library.fund.report"].create({"company_id": company.id})
        fund_ms, figures = timed(report._figures)
        rows.append(("book-fund figures", f"{fund_ms:.0f} ms (collected {figures['collected']:,.0f})"))
        activity = env["library.activity.report"].create({"company_id": company.id, "year": str(date.today().year)})
        activity_ms, activity_figures = timed(activity._figures)
        rows.append(("yearly activity report", f"{activity_ms:.0f} ms ({sum(n for _m, n in activity_figures['loans_by_month']):,} "
                                               "loans this year)"))
        cr.rollback()
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--template", required=True, help="database with university_library and its demo data")
    parser.add_argument("--sizes", default="small,large")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    args, odoo_args = parser.parse_known_args()
    odoo.tools.config.parse_config(odoo_args + ["-d", args.template, "--log-level=warn"], setup_logging=True)
    report = []
    for size in args.sizes.split(","):
        db = f"{args.template}_bench_{size}"
        subprocess.run(["dropdb", "--if-exists", db], check=True)
        subprocess.run(["createdb", "-T", args.template, db], check=True)
        start = time.perf_counter()
        populate(db, size, odoo_args)
        report.append((size, f"populated in {time.perf_counter() - start:.0f} s", measure(db, size)))
        if not args.keep:
            Registry.delete(db)
            odoo.sql_db.close_db(db)
            subprocess.run(["dropdb", "--if-exists", db], check=False)
    width = max(len(name) for _size, _pop, rows in report for name, _value in rows) + 2
    for size, populated, rows in report:
        print(f"\n== {size} ({populated})")
        for name, value in rows:
            print(f"{name:<{width}}{value}")


if __name__ == "__main__":
    main()
