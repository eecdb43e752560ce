"""Several desks lending at once against Odoo in multi-worker mode, over JSON-RPC.

    python scripts/concurrency.py --template DB [--workers 4] [--clients 8] [--seconds 20] [odoo options]

Copies the template (the add-on with its demo data), grows it to the 'small' size, starts
odoo-bin with --workers, and runs desk clients in threads: each lends copies to its own member
(returning them when the member reaches the limit) while all of them also try a shared set of
copies at the same moment. Prints the aggregate checkouts per second, then checks in the
database that no copy was lent twice and no member went over a limit.
"""
import argparse
import itertools
import json
import os
import random
import subprocess
import sys
import threading
import time
import urllib.request

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

sys.path.insert(0, os.path.dirname(__file__))
import benchmark  # noqa: E402


def rpc(url, service, method, *args):
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1,
                       "params": {"service": service, "method": method, "args": args}}).encode()
    request = urllib.request.Request(url + "/jsonrpc", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.load(response)
    if "error" in answer:
        raise RuntimeError(answer["error"]["data"].get("message") or answer["error"]["message"])
    return answer["result"]


def prepare(db, clients):
    """One fresh member per client, its own copies, and a shared set everybody fights for."""
    registry = Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].search([("library_policy_id", "!=", False), ("chart_template", "!=", False)],
                                            limit=1)
        env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": company.ids})
        category = env.ref("university_library.category_student_grad")  # Ilam: 5 items
        copies = env["library.copy"].search([("state", "=", "available"), ("company_id", "=", company.id),
                                             ("material_type_id.may_leave", "=", True),
                                             ("material_type_id.is_reserve", "=", False)], limit=clients * 40 + 20)
        members = []
        for index in range(clients):
            partner = env["res.partner"].create({"name": f"Concurrent Reader {index}"})
            members.append(env["library.member"].create({
                "partner_id": partner.id, "category_id": category.id, "state": "active", "company_id": company.id,
                "date_end": "2030-01-01"}).id)
        env["res.users"].browse(2).password = "admin"
        cr.commit()
        shared = copies[:20].mapped("barcode")
        own = [copies[20 + index * 40: 20 + (index + 1) * 40].mapped("barcode") for index in range(clients)]
        return members, shared, own


def desk(url, db, uid, member_id, own, shared, deadline, stats, lock):
    lent, done, refused = [], 0, 0
    rng = random.Random(member_id)
    for barcode in itertools.cycle(own):
        if time.time() > deadline:
            break
        choice = rng.choice(shared) if rng.random() < 0.3 else barcode
        try:
            rpc(url, "object", "execute_kw", db, uid, "admin", "library.desk", "desk_checkout", [member_id, choice])
            lent.append(choice)
            done += 1
        except RuntimeError:
            refused += 1
        if len(lent) >= 5:  # at the limit: bring them back
            for barcode_back in lent:
                rpc(url, "object", "execute_kw", db, uid, "admin", "library.desk", "desk_return", [barcode_back])
            lent = []
    with lock:
        stats["checkouts"] += done
        stats["refused"] += refused


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--template", required=True)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--port", type=int, default=18170)
    args, odoo_args = parser.parse_known_args()
    odoo.tools.config.parse_config(odoo_args + ["-d", args.template, "--log-level=warn"], setup_logging=True)
    db = f"{args.template}_concurrency"
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    subprocess.run(["createdb", "-T", args.template, db], check=True)
    benchmark.populate(db, "small", odoo_args)
    with Registry(db).cursor() as cr:
        benchmark.shape(api.Environment(cr, SUPERUSER_ID, {}), "small")
    members, shared, own = prepare(db, args.clients)
    server = subprocess.Popen([sys.executable, benchmark.ODOO_BIN, *odoo_args, "-d", db, f"--db-filter=^{db}$",
                               f"--workers={args.workers}", f"--http-port={args.port}", "--max-cron-threads=0",
                               "--http-interface=127.0.0.1", "--log-level=warn"])
    url = f"http://127.0.0.1:{args.port}"
    try:
        for _attempt in range(120):
            try:
                uid = rpc(url, "common", "login", db, "admin", "admin")
                break
            except Exception:
                time.sleep(0.5)
        stats, lock = {"checkouts": 0, "refused": 0}, threading.Lock()
        deadline = time.time() + args.seconds
        start = time.time()
        threads = [threading.Thread(target=desk, args=(url, db, uid, member, own[index], shared, deadline, stats, lock))
                   for index, member in enumerate(members)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.time() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
    with Registry(db).cursor() as cr:
        cr.execute("""SELECT count(*) FROM (SELECT copy_id FROM library_loan WHERE state IN ('open', 'overdue')
                      GROUP BY copy_id HAVING count(*) > 1) twice""")
        twice = cr.fetchone()[0]
        cr.execute("""SELECT count(*) FROM (SELECT member_id FROM library_loan
                      WHERE state IN ('open', 'overdue') AND member_id = ANY(%s)
                      GROUP BY member_id HAVING count(*) > 5) over""", [members])
        over = cr.fetchone()[0]
    Registry.delete(db)
    odoo.sql_db.close_db(db)
    subprocess.run(["dropdb", "--if-exists", db], check=False)
    print(f"\n== concurrency: {args.clients} desks, odoo --workers={args.workers}, {elapsed:.0f} s")
    print(f"checkouts           {stats['checkouts']:,} ({stats['checkouts'] / elapsed:.1f} per second), "
          f"{stats['refused']:,} refused (copy taken at another desk or on loan)")
    print(f"copies lent twice   {twice}")
    print(f"members over limit  {over}")
    sys.exit(1 if twice or over else 0)


if __name__ == "__main__":
    main()
