# resilint's container image: the static musl binary of the release on Alpine.
#
# Alpine rather than scratch: GitLab CI (and most CI systems that take an image) runs a job's
# `script:` lines with a shell inside the image, so a shell-less image would only work as
# `docker run`. Alpine's busybox shell costs about 8 MB; the binary needs nothing else (static).
# The base is pinned by tag only: its digest cannot be looked up from the machine this was
# written on; pin `alpine:3.22@sha256:...` once it can be (Dependabot keeps it current).
#
# Built by .github/workflows/release.yml for linux/amd64 and linux/arm64 from the binaries of
# the release's musl archives, laid out as dist/linux-<arch>/resilint. Locally (README, Install):
#   cargo build --release --locked --target x86_64-unknown-linux-musl
#   mkdir -p dist/linux-amd64 && cp target/x86_64-unknown-linux-musl/release/resilint dist/linux-amd64/
#   docker build -t resilint .
FROM alpine:3.22

# Set by BuildKit to the platform being built (amd64, arm64): which binary to copy.
ARG TARGETARCH
ARG VERSION=dev
ARG REVISION=unknown

LABEL org.opencontainers.image.title="resilint" \
      org.opencontainers.image.description="Resilience linter for Terraform and CloudFormation: backups, replicas and RPO/RTO checked against declared tiers" \
      org.opencontainers.image.source="https://github.com/resilint/resilint" \
      org.opencontainers.image.url="https://github.com/resilint/resilint" \
      org.opencontainers.image.documentation="https://github.com/resilint/resilint#readme" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"

# Only a copy, no RUN: the arm64 image builds on an amd64 machine without emulation. The file
# keeps its mode (the release job makes it executable); no --chmod, so that any builder works.
COPY dist/linux-${TARGETARCH}/resilint /usr/local/bin/resilint

# Not root: resilint only reads the code and writes its reports. 65532 is the conventional
# "nonroot" id of distroless images; no user database entry is needed for a numeric id.
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["resilint"]
CMD ["check", "."]
