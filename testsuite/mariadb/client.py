#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Test client (Python, MySQLdb = python3-mysqldb over libmariadb.so.3, which the _mysql
# extension pulls in with dlopen when the driver is imported).
#
#   client.py [--wait-file F] [--ready-file F] [--sql SQL] [--duration SEC] [--quiet] SOCKET N
#
# Connects through the unix socket SOCKET to database `test` as root and runs SQL (default
# "SELECT sleep(0.2)") N times, or forever when N is 0. Prints "result I: VALUE" after every query
# (unless --quiet). --wait-file: print "waiting" and do not import the driver before file F
# exists. --ready-file: create F once connected. --duration: stop after SEC seconds; then print
# "queries Q seconds S qps R". Exit 0 after N queries, 2 on usage errors, 1 on database errors.
import os
import sys
import time


def usage():
    sys.stderr.write("usage: client.py [--wait-file F] [--ready-file F] [--sql SQL] "
                     "[--duration SEC] [--quiet] SOCKET N\n")
    sys.exit(2)


def main():
    args = sys.argv[1:]
    wait_file = ready_file = None
    sql = "SELECT sleep(0.2)"
    duration = None
    quiet = False
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--quiet":
            quiet = True
            continue
        if not args:
            usage()
        val = args.pop(0)
        if opt == "--wait-file":
            wait_file = val
        elif opt == "--ready-file":
            ready_file = val
        elif opt == "--sql":
            sql = val
        elif opt == "--duration":
            duration = float(val)
        else:
            usage()
    if len(args) != 2:
        usage()
    sock, n = args[0], int(args[1])

    if wait_file:
        print("waiting", flush=True)
        while not os.path.exists(wait_file):
            time.sleep(0.05)

    import MySQLdb  # loads _mysql*.so, which needs libmariadb.so.3

    conn = MySQLdb.connect(unix_socket=sock, user="root", passwd="", db="test")
    cur = conn.cursor()
    print("connected", flush=True)
    if ready_file:
        open(ready_file, "w").close()

    i = 0
    t0 = time.monotonic()
    while n == 0 or i < n:
        cur.execute(sql)
        rows = cur.fetchall()
        i += 1
        if not quiet:
            print("result %d: %s" % (i, rows[0][0]), flush=True)
        if duration is not None and time.monotonic() - t0 >= duration:
            break
    if duration is not None:
        el = time.monotonic() - t0
        print("queries %d seconds %.3f qps %.1f" % (i, el, i / el), flush=True)
    conn.close()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
