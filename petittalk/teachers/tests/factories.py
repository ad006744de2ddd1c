from __future__ import annotations

from decimal import Decimal

import factory

from petittalk.accounts.models import Role
from petittalk.accounts.tests.factories import UserFactory
from petittalk.teachers.models import Specialty, TeacherProfile


class TeacherUserFactory(UserFactory):
    role = Role.TEACHER
    timezone = "Europe/Paris"


class TeacherProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeacherProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(TeacherUserFactory)
    slug = factory.Sequence(lambda n: f"teacher-{n}")
    headline = "Conversation coach from Lyon"
    bio = "J'adore enseigner le français."
    price_30 = Decimal("12.00")
    price_60 = Decimal("22.00")
    is_published = True

    @factory.post_generation
    def specialties(self, create: bool, extracted, **kwargs) -> None:
        if not create:
            return
        slugs = extracted if extracted is not None else ["conversation", "grammar"]
        self.specialties.set(Specialty.objects.filter(slug__in=slugs))
