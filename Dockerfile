# Small image: python slim, dependencies in their own layer, the bot installed from its wheel
# (personas and compiled catalogues inside the package), a non-root user, SQLite on a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_URL=sqlite:////data/bot.sqlite3

WORKDIR /src

# Dependencies first: this layer is rebuilt only when pyproject.toml changes, not the code.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
    && pip install -r requirements.txt

# Then the bot itself, as a regular (not editable) install; the build compiles the catalogues.
COPY . .
RUN pip install --no-deps . \
    && cd / && rm -rf /src \
    && python -m bot validate "$(python -c 'from bot import data_dir; print(data_dir("personas"))')" \
    && useradd --system --uid 10001 --home-dir /data rehearsal \
    && mkdir /data && chown rehearsal /data

USER rehearsal
WORKDIR /data
VOLUME ["/data"]
# Webhook mode listens here when WEBHOOK_URL is set; polling mode needs no port.
EXPOSE 8443
# Personas, catalogues and the database are usable (see `python -m bot health`).
HEALTHCHECK --interval=60s --timeout=20s --start-period=30s --retries=3 \
    CMD ["python", "-m", "bot", "health"]
CMD ["python", "-m", "bot", "telegram"]
