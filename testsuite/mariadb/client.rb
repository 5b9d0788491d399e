#!/usr/bin/ruby
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Test client (Ruby, mysql2 = ruby-mysql2 over libmariadb.so.3, loaded with dlopen by
# `require 'mysql2'`). mysql2 sends a query with mysql_send_query and collects the answer with
# mysql_read_query_result (it waits for the socket itself in between), not mysql_real_query.
#
#   client.rb [--sequel] [--wait-file F] [--ready-file F] [--sql SQL] [--duration SEC] [--quiet]
#             SOCKET N
#
# --sequel: go through the Sequel toolkit (ruby-sequel) and its mysql2 adapter instead.
# Same behaviour and output as client.py: "result I: VALUE" per query, N = 0 loops forever.
$stdout.sync = true

def usage
  warn 'usage: client.rb [--sequel] [--wait-file F] [--ready-file F] [--sql SQL] ' \
       '[--duration SEC] [--quiet] SOCKET N'
  exit 2
end

wait_file = ready_file = duration = nil
sql = 'SELECT sleep(0.2)'
quiet = false
sequel = false
while !ARGV.empty? && ARGV[0].start_with?('--')
  opt = ARGV.shift
  if opt == '--quiet'
    quiet = true
    next
  end
  if opt == '--sequel'
    sequel = true
    next
  end
  usage if ARGV.empty?
  val = ARGV.shift
  case opt
  when '--wait-file' then wait_file = val
  when '--ready-file' then ready_file = val
  when '--sql' then sql = val
  when '--duration' then duration = val.to_f
  else usage
  end
end
usage unless ARGV.length == 2
sock = ARGV[0]
n = Integer(ARGV[1])

if wait_file
  puts 'waiting'
  sleep 0.05 until File.exist?(wait_file)
end

begin
  if sequel
    require 'sequel'
    db = Sequel.connect(adapter: 'mysql2', socket: sock, user: 'root', password: '',
                        database: 'test')
    db.test_connection
    run = ->(q) { db.fetch(q).first.values.first }
    finish = -> { db.disconnect }
  else
    require 'mysql2'
    client = Mysql2::Client.new(socket: sock, username: 'root', password: '', database: 'test')
    run = ->(q) { client.query(q, as: :array).first[0] }
    finish = -> { client.close }
  end
  puts 'connected'
  File.write(ready_file, '') if ready_file

  i = 0
  t0 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
  while n.zero? || i < n
    v = run.call(sql)
    i += 1
    puts "result #{i}: #{v}" unless quiet
    break if duration && Process.clock_gettime(Process::CLOCK_MONOTONIC) - t0 >= duration
  end
  if duration
    el = Process.clock_gettime(Process::CLOCK_MONOTONIC) - t0
    printf("queries %d seconds %.3f qps %.1f\n", i, el, i / el)
  end
  finish.call
rescue Interrupt
  exit 130
end
