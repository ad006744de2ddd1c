from __future__ import annotations

import factory

from petittalk.accounts.tests.factories import StudentFactory
from petittalk.community.models import ContactMessage, Testimonial, TestimonialStatus


class TestimonialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Testimonial

    author = factory.SubFactory(StudentFactory)
    text = "My teacher made me love speaking French again. Merci Petit Talk !"
    status = TestimonialStatus.PENDING


class ContactMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactMessage

    name = "Lea Martin"
    email = factory.Sequence(lambda n: f"sender{n}@example.com")
    subject = "A question about lesson packs"
    message = "Hello, can I buy a pack of ten lessons with two teachers?"
