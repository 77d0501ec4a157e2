"""Deep links: `t.me/<bot>?start=<persona>` opens that persona's briefing card, and a
command typed in a group answers with a button to the private chat, where rehearsals happen.

Telegram turns the link into `/start <persona>` in the private chat; the payload is the
persona id (at most 64 characters among A-Z, a-z, 0-9, _ and -, which persona ids satisfy).
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.channels.telegram.handlers.cards import persona_card
from bot.channels.telegram.handlers.common import Context, lang_of, send, service, tr

#: The payload of the group button when no persona was named: a hyphen, which persona ids
#: never contain, so it cannot collide with one; it leads to the plain welcome.
FROM_GROUP = "from-group"


def link_persona(context: Context, payload: str | None, lang: str) -> str | None:
    """The persona id a `/start` payload names, if the user can meet them in `lang`."""
    personas = service(context).personas
    if payload and payload in personas and personas[payload].speaks(lang):
        return payload
    return None


async def open_link(update: Update, context: Context) -> bool:
    """`/start <persona>`: send that persona's card; False when there is nobody to show
    (no payload, or one naming nobody), so the welcome follows."""
    payload = context.args[0] if context.args else None
    persona_id = link_persona(context, payload, lang_of(update, context))
    if persona_id is None:
        return False
    card, keyboard = persona_card(update, context, persona_id)
    await send(update, card, reply_markup=keyboard)
    return True


def unknown_link_note(update: Update, context: Context) -> str:
    """A line for the welcome when `/start` came with a payload that names nobody ("" when
    it came without one): the link was mistyped or the persona was removed."""
    if not context.args or context.args[0] == FROM_GROUP:
        return ""
    _ = tr(update, context)
    return _("That link leads to nobody I know: choose someone below.")


def private_chat_button(update: Update, context: Context) -> InlineKeyboardMarkup:
    """A button to the private chat; `/start <persona>` typed in a group keeps its persona."""
    _ = tr(update, context)
    words = (update.effective_message.text or "").split()
    command = words[0].split("@")[0].lower() if words else ""
    payload = words[1] if command == "/start" and len(words) > 1 else None
    url = f"https://t.me/{context.bot.username}"
    if link_persona(context, payload, lang_of(update, context)):
        url += f"?start={payload}"
    else:
        url += f"?start={FROM_GROUP}"
    return InlineKeyboardMarkup([[InlineKeyboardButton(_("💬 Rehearse in private"), url=url)]])
