"""The callback-data codec: what the bot encodes decodes back; anything else is refused."""

from __future__ import annotations

import pytest

from bot.channels.telegram.callbacks import Action, Callback, decode


@pytest.mark.parametrize(
    "callback",
    [
        Callback(Action.PERSONA, "chatty_expert"),
        Callback(Action.BEGIN, "sceptic"),
        Callback(Action.LIST),
        Callback(Action.REMIND, "12345"),
        Callback(Action.REMIND, "no"),
        Callback(Action.FORGET, "yes"),
        Callback(Action.FORGET, "no.en"),
        Callback(Action.LANG, "en"),
        Callback(Action.KEEP),
        Callback(Action.SWITCH, "12.sceptic"),
        Callback(Action.SWITCH, "12."),
        Callback(Action.SWITCH, "9" * 15 + "." + "x" * 41),
        Callback(Action.AFTER, "skip.notes.7"),
        Callback(Action.AFTER, "done.thanks.7"),
    ],
)
def test_round_trip(callback):
    assert decode(callback.encode()) == callback


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "garbage",
        "remind:²",
        "remind:" + "9" * 23,
        "remind:-1",
        "remind:",
        "forget:maybe",
        "lang:de",
        "list:x",
        "persona:",
        "persona:" + "x" * 60,
        "persona:Robert'); DROP",
        "unknown:1",
        "forget:yes.de",
        "forget:yes.",
        "keep:1",
        "switch:sceptic",
        "switch:1.Sceptic",
        "switch:x.sceptic",
        "after:skip.notes",
        "after:skip.draft.1",
        "after:later.notes.1",
    ],
)
def test_malformed_data_is_refused(data):
    assert decode(data) is None


def test_the_meeting_id_is_an_int_only_for_a_reminder():
    assert decode("remind:42").meeting_id == 42
    assert decode("remind:no").meeting_id is None
    assert decode("begin:sceptic").meeting_id is None
    assert decode("switch:12.sceptic").meeting_id == 12
    assert decode("after:skip.notes.7").meeting_id == 7


def test_a_button_the_codec_would_refuse_cannot_be_built():
    with pytest.raises(ValueError):
        Callback(Action.REMIND, "²").encode()
