"""What the issues promise, written out here rather than imported from the code, so that a
change to the code's own lists cannot silently change what the tests check."""

#: The ten criterion keys of the feedback, in order (issue 2).
CRITERIA = (
    "introduction",
    "assets",
    "open_questions",
    "active_listening",
    "preparation",
    "notes_permission",
    "respect",
    "referral",
    "give_back",
    "closing",
)
