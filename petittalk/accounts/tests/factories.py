from __future__ import annotations

import factory
from allauth.account.models import EmailAddress

from petittalk.accounts.models import Role, StudentProfile, User

PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    display_name = factory.Faker("first_name")
    timezone = "Europe/London"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(user, create: bool, extracted, **kwargs) -> None:
        # Log-in needs a confirmed address (mandatory verification), as every real account has.
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class StudentFactory(UserFactory):
    role = Role.STUDENT
    profile = factory.RelatedFactory(
        "petittalk.accounts.tests.factories.StudentProfileFactory", factory_related_name="user"
    )


class StudentProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentProfile

    user = factory.SubFactory(UserFactory, role=Role.STUDENT)


class StaffFactory(UserFactory):
    role = Role.STAFF
    is_staff = True
