# Build: docker build -t meta-bezwaar-connector .
# Run:   docker run -p 8080:8080 --env-file config.env meta-bezwaar-connector
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/gemeenten/meta-bezwaar-connector/internal/version.Version=${VERSION}" \
      -o /out/connector ./cmd/connector

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/connector /connector
ENV CONNECTOR_ADDR=:8080 \
    CONNECTOR_DATA_DIR=/data
VOLUME /data
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/connector"]
CMD ["serve"]
