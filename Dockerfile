# syntax=docker/dockerfile:1
# A static, non-root image of kpic. Build: docker build -t kpic --build-arg VERSION=$(git describe --tags --always) .
# Run the exporter with definitions mounted: docker run -v "$PWD/kpis:/etc/kpic/kpis:ro" -p 10863:10863 kpic

ARG GO_VERSION=1.26

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
WORKDIR /src
# Modules first, so that a source change does not download them again.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY cmd/ cmd/
COPY internal/ internal/
ARG TARGETOS TARGETARCH
ARG VERSION=dev
ARG REVISION=unknown
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} go build -trimpath \
      -ldflags "-s -w -X github.com/prometheus/common/version.Version=${VERSION} -X github.com/prometheus/common/version.Revision=${REVISION}" \
      -o /out/kpic ./cmd/kpic

# distroless/static: CA certificates, tzdata and a passwd entry for nonroot (65532), no shell.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/kpic /usr/local/bin/kpic
USER 65532:65532
EXPOSE 10863
ENTRYPOINT ["/usr/local/bin/kpic"]
CMD ["serve", "--config.dir=/etc/kpic/kpis"]
