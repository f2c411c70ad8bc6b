#!/bin/bash
# Installs the Debian package on a clean Debian 12 (a debootstrap chroot) and checks that apt
# pulls every runtime dependency: the CLI runs a benchmark against its built-in server and the
# desktop app starts (offscreen) in Chinese. Needs root, debootstrap and network access.
#   packaging/check-install.sh path/to/tokenstorm_*.deb [chroot-dir]
set -euo pipefail
deb=$(readlink -f "$1")
root=${2:-/tmp/tokenstorm-deb12}

if [ ! -x "$root/usr/bin/apt-get" ]; then
    debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/"
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
trap 'umount "$root/proc"' EXIT

chroot "$root" apt-get update -q
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "/tmp/$(basename "$deb")"
chroot "$root" bash -c 'cd /tmp && tokenstorm-cli --builtin-server fixed --num-prompts 20 --max-concurrency 5'
# timeout's 124 means the app was still running after 8 s: it started and did not crash.
set +e
chroot "$root" env LANG=zh_CN.UTF-8 QT_QPA_PLATFORM=offscreen timeout 8 tokenstorm --demo
rc=$?
set -e
[ "$rc" -eq 124 ] || { echo "tokenstorm exited with $rc" >&2; exit 1; }
echo "package installs and runs on a clean Debian 12"
