#!/usr/bin/env bash
# A base image for `-Pimage-tar` where no container registry is reachable: a Debian bookworm
# root file system with a Java 17 runtime (debootstrap, from Debian's package archive only), written
# as a docker-save tar that Jib takes as `-Dedge.base-image=tar://<file>`.
#
#   sudo udp-edge/local-base-image.sh /tmp/edge-base.tar
#   mvn -B -pl udp-edge -am package -Pimage-tar -DskipTests -Dedge.base-image=tar:///tmp/edge-base.tar
#
# Needs root and `apt-get install debootstrap`. The production image uses the registry base of the
# profile (edge.base-image) instead; this one exists so the image can be built and checked offline.
set -euo pipefail

out=${1:?usage: $0 OUTPUT.tar}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$work/rootfs" http://deb.debian.org/debian
rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/lib/apt/lists/*

python3 - "$work" "$out" <<'EOF'
import hashlib, json, os, sys, tarfile

work, out = sys.argv[1], sys.argv[2]
root, layer = os.path.join(work, "rootfs"), os.path.join(work, "layer.tar")

def keep(info):
    top, _, rest = info.name.partition("/")
    if top in ("dev", "proc", "sys") and rest:
        return None
    if info.isdev() or info.isfifo():
        return None
    return info

with tarfile.open(layer, "w", format=tarfile.PAX_FORMAT) as t:
    for entry in sorted(os.listdir(root)):
        t.add(os.path.join(root, entry), arcname=entry, filter=keep)

with open(layer, "rb") as f:
    diff_id = "sha256:" + hashlib.sha256(f.read()).hexdigest()
config = json.dumps({
    "architecture": "amd64", "os": "linux",
    "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                       "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64"]},
    "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    "history": [{"created_by": "debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm"}],
}).encode()
config_name = hashlib.sha256(config).hexdigest() + ".json"
with open(os.path.join(work, config_name), "wb") as f:
    f.write(config)
with open(os.path.join(work, "manifest.json"), "w") as f:
    json.dump([{"Config": config_name, "RepoTags": ["local/edge-base:bookworm-jre17"], "Layers": ["layer.tar"]}], f)
with tarfile.open(out, "w") as t:
    for name in ("manifest.json", config_name, "layer.tar"):
        t.add(os.path.join(work, name), arcname=name)
print(out, diff_id)
EOF
