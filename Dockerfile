# Coalition Atlas: one dashboard process (Streamlit on port 8501).
# Several of them behind a sticky reverse proxy: deploy/ (compose.yaml, k8s/, README.md).
#
#   docker build -t coalition-atlas .
#   docker run --rm -p 8501:8501 -e STREAMLIT_SERVER_COOKIE_SECRET=... coalition-atlas
#
# Needs no network when it starts or runs: the Python packages are installed at build
# time, and every asset the pages load (Leaflet & co., fonts) is in static/.
# WebSocket compression (permessage-deflate) is on: nginx passes WebSocket frames as
# they are, and the dashboard's first messages shrink from ~820 to ~220 KiB
# (tests/deploy/test_failover.py measures it), for a little CPU in the app.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    STREAMLIT_SERVER_HEADLESS=true \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    STREAMLIT_SERVER_ENABLE_WEBSOCKET_COMPRESSION=true

# The app runs as this unprivileged user; the files it runs stay root's (read-only to it).
RUN groupadd --system --gid 10001 atlas \
 && useradd --system --uid 10001 --gid atlas --home-dir /home/atlas --create-home \
        --shell /usr/sbin/nologin atlas

WORKDIR /app

# Dependencies first: this layer is rebuilt only when requirements.txt changes.
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

# The app (what .dockerignore lets through: no .venv, .git, tests, test artefacts).
COPY . .
RUN python -m compileall -q dashboard.py pages coalition_atlas

USER 10001:10001
EXPOSE 8501

# Streamlit answers "ok" on /_stcore/health once it serves. No curl in the image: Python.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request as u; r = u.build_opener(u.ProxyHandler({})).open('http://127.0.0.1:8501/_stcore/health', timeout=4); sys.exit(0 if r.status == 200 and r.read().strip() == b'ok' else 1)"]

# .streamlit/config.toml (static serving, headless, no usage statistics) is read from
# the working directory, /app.
CMD ["streamlit", "run", "dashboard.py", "--server.address", "0.0.0.0", "--server.port", "8501"]
