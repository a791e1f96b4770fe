# tunneldoctor image for users: a static binary on distroless, non-root.
#
#   docker build -t tunneldoctor .
#   docker run --rm --network container:cloudflared \
#     -v /var/run/docker.sock:/var/run/docker.sock:ro \
#     --group-add "$(stat -c %g /var/run/docker.sock)" tunneldoctor check
#
# It runs as uid 65532: --group-add (the socket's group) lets it read the
# Docker socket; without it every Docker check says "permission denied".
#
# No registry at hand? deploy/build-image-offline.sh builds the same runtime
# image FROM scratch from a binary compiled on the host (what CI uses).

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=""
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" \
	-o /out/tunneldoctor ./cmd/tunneldoctor

# static-debian12:nonroot has CA certificates, /etc/passwd with nonroot
# (65532) and no shell: nothing but the binary runs in it.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/tunneldoctor /usr/local/bin/tunneldoctor
USER 65532:65532
# In `watch` mode: healthy while the tunnel is connected and every origin
# passes (/readyz); no curl or shell needed. A one-shot `check` exits first.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=2 \
	CMD ["/usr/local/bin/tunneldoctor", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/tunneldoctor"]
CMD ["check"]
