# syntax=docker/dockerfile:1
# CxrQa server image. Build stage: the .NET SDK restores and publishes src/CxrQa.Server only (Core + Storage + Admin + Domain;
# never the CLI or TorchSharp). Runtime stage: the ASP.NET Core runtime, the published server, the shipped model bundle and
# the ResNet18 backbone files the build copies to its output.
#
#   docker build -t cxrqa .                       # Microsoft's images (needs a registry and NuGet)
#   docker run -p 8080:8080 -v cxrqa-data:/data cxrqa
#
# Keys are required for /predict and /cases/* (the container does not listen on loopback only). Create one inside the
# running container (the server binary carries the key commands; only the key's SHA-256 is stored):
#   docker exec cxrqa dotnet /app/CxrQa.Server.dll keys create --role submitter --name ward-7-pacs
# Base images are arguments so that a machine without a registry can build from local ones (scripts/docker-proof.sh).
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

FROM ${SDK_IMAGE} AS build
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Restore first, from the project files only, so that a code change does not invalidate the package layer.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/CxrQa.Server/CxrQa.Server.csproj src/CxrQa.Server/
COPY src/CxrQa.Core/CxrQa.Core.csproj src/CxrQa.Core/
COPY src/CxrQa.Storage/CxrQa.Storage.csproj src/CxrQa.Storage/
COPY src/CxrQa.Admin/CxrQa.Admin.csproj src/CxrQa.Admin/
COPY src/CxrQa.Domain/CxrQa.Domain.csproj src/CxrQa.Domain/
RUN dotnet restore src/CxrQa.Server/CxrQa.Server.csproj
COPY src/CxrQa.Server/ src/CxrQa.Server/
COPY src/CxrQa.Core/ src/CxrQa.Core/
COPY src/CxrQa.Storage/ src/CxrQa.Storage/
COPY src/CxrQa.Admin/ src/CxrQa.Admin/
COPY src/CxrQa.Domain/ src/CxrQa.Domain/
# Only the shipped default bundle (Core copies models/** to the output).
COPY models/cxrqa-ensemble-resnet18-int8/ models/cxrqa-ensemble-resnet18-int8/
RUN dotnet publish src/CxrQa.Server/CxrQa.Server.csproj -c Release --no-restore -o /app \
 && test -f /app/backbone/ResNet18.onnx \
 && test -f /app/models/cxrqa-ensemble-resnet18-int8/model.onnx \
 && ! ls /app | grep -qi torch

FROM ${RUNTIME_IMAGE} AS runtime
# A non-root user (Microsoft's images already have 'app', uid 1654; a locally made base image gets the same).
RUN if ! id app >/dev/null 2>&1; then \
      groupadd --gid 1654 app && useradd --uid 1654 --gid 1654 --no-create-home --home-dir /app --shell /usr/sbin/nologin app; \
    fi \
 && mkdir -p /data && chown app:app /data
WORKDIR /app
COPY --from=build /app/ /app/
ENV ASPNETCORE_HTTP_PORTS=8080 \
    CXRQA_DATA_DIR=/data \
    CxrQa__RequireKeyForPredict=true \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
VOLUME ["/data"]
EXPOSE 8080
USER app
# bash's /dev/tcp: no curl or wget needed in the runtime image. Ready = model loaded, worker running, database reachable.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "/app/CxrQa.Server.dll"]
