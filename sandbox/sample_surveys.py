"""The surveys the sandbox ships: small pre-chat, offline and exit surveys, shaped like LivePerson's examples."""

from __future__ import annotations

from sandbox.surveys import EntryDefinition, QuestionDefinition, SurveyDefinition

SAMPLE_PRECHAT_SURVEY = SurveyDefinition(
    id=40216,
    header="Before we start",
    questions=[
        QuestionDefinition(
            id=40217, type="Text Field", logicId=1, order=0, mandatory=True, label="Your name", lastKnownValue=""
        ),
        QuestionDefinition(
            id=40218,
            type="Dropdown Box",
            logicId=2,
            order=1,
            mandatory=True,
            label="What is your question about?",
            entry=[
                EntryDefinition(value="billing", displayValue="Billing"),
                EntryDefinition(value="orders", displayValue="My order", showLogicId=[3]),
                EntryDefinition(value="other", displayValue="Something else"),
            ],
        ),
        QuestionDefinition(
            id=40219,
            type="Text Field",
            validationType="numeric",
            logicId=3,
            order=2,
            mandatory=True,
            label="Order number",
            lastKnownValue="",
        ),
    ],
)

SAMPLE_OFFLINE_SURVEY = SurveyDefinition(
    id=40300,
    header="Our agents are offline. Leave us a message.",
    questions=[
        QuestionDefinition(id=40301, type="Text Field", logicId=1, order=0, mandatory=True, label="Your name"),
        QuestionDefinition(
            id=40302, type="Text Field", validationType="email", logicId=2, order=1, mandatory=True, label="Email"
        ),
        QuestionDefinition(id=40303, type="Text Area", logicId=3, order=2, mandatory=True, label="Message"),
    ],
)

SAMPLE_EXIT_SURVEY = SurveyDefinition(
    id=361348,
    questions=[
        QuestionDefinition(
            id=4991315,
            type="Radio Button",
            logicId=1,
            order=0,
            label="Would you like us to email you a transcript of this chat?",
            entry=[
                EntryDefinition(value="yes", displayValue="Yes", showLogicId=[2]),
                EntryDefinition(value="no", displayValue="No"),
            ],
        ),
        QuestionDefinition(
            id=4991311,
            type="Text Field",
            validationType="email",
            logicId=2,
            order=1,
            mandatory=True,
            label="If yes, please provide your email:",
        ),
        QuestionDefinition(
            id=4991320,
            type="Radio Button (side by side)",
            logicId=3,
            order=2,
            label="How would you rate this chat?",
            entry=[EntryDefinition(value=str(n), displayValue=str(n)) for n in range(1, 6)],
        ),
    ],
)
