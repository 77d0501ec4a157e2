# Small image: python slim, non-root user, locales compiled at build, SQLite on a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_URL=sqlite:////data/bot.sqlite3

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY personas ./personas
COPY locales ./locales
RUN pip install -e . \
    && python -m bot.i18n compile \
    && python -m bot validate personas \
    && useradd --system --uid 10001 --home-dir /app rehearsal \
    && mkdir /data && chown rehearsal /data

USER rehearsal
VOLUME ["/data"]
# Webhook mode listens here when WEBHOOK_URL is set; polling mode needs no port.
EXPOSE 8443
CMD ["python", "-m", "bot", "telegram"]
