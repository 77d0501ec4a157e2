"""Draw the README's pictures from real rehearsals: `python -m devtools.readme_images`.

Five scripted meetings, each a little better than the last, played by the engine; the
scorecard of the last one and the progress chart of all five are written to `docs/`, with
the picture of a real Telegram chat (`devtools.chat_picture`, a session through the Bot API
emulator).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot import PROJECT_ROOT
from bot.channels.terminal import play
from bot.charts import progress_png, scorecard_png
from bot.engine.coach import Feedback
from bot.engine.personas import load_personas
from devtools import chat_picture

INTRO = (
    "Bonjour, je m'appelle Camille, j'ai été acheteuse pendant huit ans chez un distributeur. "
    "C'est Julien Morel qui m'a donné votre nom ; je souhaite comprendre votre métier, "
    "je ne cherche pas de poste."
)
STEPS = [
    ("laconic_host", ["Vous aimez votre travail ?", "Vous voyagez beaucoup ?", "Merci."]),
    (
        "sceptic",
        [
            INTRO,
            "Vous recrutez en ce moment ?",
            "C'est un métier difficile ?",
            "Pouvez-vous me décrire une journée type ?",
            "Merci.",
        ],
    ),
    (
        "busy_executive",
        [
            INTRO,
            "Est-ce que je peux prendre quelques notes ?",
            "Pouvez-vous me décrire une journée type ?",
            "Vous travaillez beaucoup avec les banques ?",
            "Connaissez-vous quelqu'un que je devrais rencontrer ?",
            "Merci.",
        ],
    ),
    (
        "chatty_expert",
        [
            INTRO,
            "Est-ce que je peux prendre quelques notes ?",
            "Comment êtes-vous arrivé dans l'événementiel ?",
            "Qu'est-ce qui vous plaît le plus dans ce métier ?",
            "Vous parliez des séminaires : comment les organisez-vous ?",
            "Connaissez-vous quelqu'un que je devrais rencontrer ?",
            "Merci beaucoup, je vous tiendrai au courant.",
        ],
    ),
    (
        "laconic_host",
        [
            INTRO + " J'ai réduit les délais de livraison de 15 % chez mon employeur.",
            "Est-ce que je peux prendre quelques notes ?",
            "Pouvez-vous me décrire une journée type ?",
            "Vous parlez des indicateurs : comment les suivez-vous ?",
            "Quelles compétences manquent le plus dans la logistique ?",
            "J'ai lu une étude sur l'automatisation des entrepôts, je peux vous "
            "l'envoyer si cela vous intéresse.",
            "Connaissez-vous quelqu'un que je devrais rencontrer ? Puis-je dire que "
            "je viens de votre part ?",
            "Merci beaucoup pour votre temps, je vous tiendrai au courant.",
        ],
    ),
]


def main(out: Path = PROJECT_ROOT / "docs") -> int:
    personas = load_personas()
    history = []
    day = 1_772_524_800  # 2026-03-03, a fixed date so the pictures are reproducible
    last = None
    for i, (persona_id, lines) in enumerate(STEPS):
        result = play(personas[persona_id], "fr", lines, seed=i)
        feedback = Feedback.from_json(result["feedback"])
        history.append(
            {
                "started_at": day + i * 3 * 86_400,
                "score": feedback.score,
                "criteria": {k: v.score for k, v in feedback.criteria.items()},
                "exam": i == 2,
                "persona": personas[persona_id].name,
            }
        )
        last = (feedback, personas[persona_id])
    out.mkdir(parents=True, exist_ok=True)
    (out / "scorecard.png").write_bytes(scorecard_png(last[0], last[1], "fr"))
    (out / "progress.png").write_bytes(progress_png(history, "fr"))
    (out / "chat.png").write_bytes(chat_picture.draw(asyncio.run(chat_picture.record("en"))))
    print(" → ".join(str(point["score"]) for point in history))
    return 0


if __name__ == "__main__":
    sys.exit(main())
