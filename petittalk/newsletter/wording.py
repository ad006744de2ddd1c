"""What people are shown when they give or withdraw consent: stored word for word with it."""

SUBSCRIBE = (
    "Send me the Petit Talk newsletter: new teachers, offers and French tips, about twice a "
    "month. I can unsubscribe at any time."
)
CONFIRM = "Yes, subscribe me to the Petit Talk newsletter."
UNSUBSCRIBE = "Unsubscribe me from the Petit Talk newsletter."
ONE_CLICK = "One-click unsubscribe from the email (List-Unsubscribe-Post)."
STAFF_UNSUBSCRIBE = "Unsubscribed by staff."
