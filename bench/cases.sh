# Copyright 2026 The net Authors.
#
# The load cases of bench/, sourced by run.sh and profile.sh: what
# bench/load is told for each case, and its label in the tables. The
# idle-RSS cases hold $idle_conns connections (10000 unless set before):
# idle_rss each after a 1-byte echo, idle_rss_unused never used (accepted,
# not a byte sent).

idle_conns=${idle_conns:-10000}
declare -A case_args=(
  [pp_1x64]="--case pingpong --conns 1 --size 64"
  [pp_100x64]="--case pingpong --conns 100 --size 64"
  [pp_1000x64]="--case pingpong --conns 1000 --size 64"
  [pp_10x16k]="--case pingpong --conns 10 --size 16384"
  [stream_16k]="--case stream --size 16384"
  [accept]="--case accept --inflight 4"
  [idle_rss]="--case idle --conns $idle_conns"
  [idle_rss_unused]="--case idle --conns $idle_conns --echo 0"
)
declare -A case_label=(
  [pp_1x64]="ping-pong 1 × 64 B"
  [pp_100x64]="ping-pong 100 × 64 B"
  [pp_1000x64]="ping-pong 1000 × 64 B"
  [pp_10x16k]="ping-pong 10 × 16 KiB"
  [stream_16k]="stream 1 × 16 KiB chunks"
  [accept]="accept (connect, 1 B echo, close; 4 in flight)"
  [idle_rss]="RSS per idle connection ($idle_conns held, each after a 1-byte echo)"
  [idle_rss_unused]="RSS per never-used connection ($idle_conns held)"
)
