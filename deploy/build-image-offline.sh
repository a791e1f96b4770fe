#!/usr/bin/env bash
# Builds the tunneldoctor image without any registry:
#
#   deploy/build-image-offline.sh [TAG]      (default tunneldoctor:offline)
#
# It compiles a static binary with the host's Go, assembles a minimal root
# filesystem (binary, nonroot user 65532, CA certificates from
# /etc/ssl/certs/ca-certificates.crt if the host has them; without them only
# the Cloudflare API and TLS origin checks that verify certificates suffer)
# and builds deploy/Dockerfile.offline FROM scratch on it.
# VERSION in the environment overrides the version stamped in the binary.
set -euo pipefail

tag="${1:-tunneldoctor:offline}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="${VERSION:-$(git -C "${repo}" describe --tags --always --dirty 2>/dev/null || echo dev)}"

ctx="$(mktemp -d)"
trap 'rm -rf "${ctx}"' EXIT
root="${ctx}/rootfs"
mkdir -p "${root}/usr/local/bin" "${root}/etc/ssl/certs" "${root}/tmp"
chmod 1777 "${root}/tmp"

(cd "${repo}" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${version}" \
	-o "${root}/usr/local/bin/tunneldoctor" ./cmd/tunneldoctor)

printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"${root}/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"${root}/etc/group"
mkdir -p "${root}/home/nonroot"
if [[ -r /etc/ssl/certs/ca-certificates.crt ]]; then
	cp /etc/ssl/certs/ca-certificates.crt "${root}/etc/ssl/certs/ca-certificates.crt"
else
	echo "warning: no /etc/ssl/certs/ca-certificates.crt on this host; the image has no CA certificates" >&2
fi
chmod -R a+rX "${root}"
cp "${repo}/deploy/Dockerfile.offline" "${ctx}/Dockerfile"

DOCKER_BUILDKIT=0 docker build --quiet -t "${tag}" "${ctx}" >/dev/null
echo "built ${tag} (tunneldoctor ${version})"
