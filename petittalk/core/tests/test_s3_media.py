"""Uploads on S3: the same profile flow, stored through django-storages on a local S3 server."""

from __future__ import annotations

import json
import urllib.request

import boto3
import pytest

from config.env import s3_media_storage
from petittalk.teachers.tests.factories import TeacherProfileFactory
from petittalk.testing.media import photo_upload
from petittalk.testing.s3 import local_s3_server

BUCKET = "petittalk-media"
CREDENTIALS = {"access_key": "testing", "secret_key": "testing", "region": "us-east-1"}
PUBLIC_READ_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}


def s3_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )


@pytest.fixture(scope="module")
def s3_endpoint():
    with local_s3_server() as url:
        s3 = s3_client(url)
        s3.create_bucket(Bucket=BUCKET)
        # As in production: objects are private by ACL, the bucket policy makes them readable.
        s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ_POLICY))
        yield url


@pytest.fixture
def s3_media(settings, s3_endpoint):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_media_storage(bucket=BUCKET, endpoint_url=s3_endpoint, **CREDENTIALS),
    }
    return s3_endpoint


@pytest.mark.django_db
def test_a_teacher_photo_upload_lands_in_the_bucket_and_is_served_from_s3(client, s3_media):
    teacher = TeacherProfileFactory()
    client.force_login(teacher.user)

    response = client.post(
        "/dashboard/teacher/profile/",
        {
            "display_name": "Claire",
            "headline": "h",
            "bio": "b",
            "price_30": "12",
            "price_60": "20",
            "photo": photo_upload(),
        },
    )

    assert response.status_code == 302
    teacher.refresh_from_db()
    s3 = s3_client(s3_media)
    keys = {obj["Key"] for obj in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert teacher.photo.name in keys and teacher.photo_thumbnail.name in keys
    assert teacher.photo.url.startswith(f"{s3_media}/{BUCKET}/teachers/")
    with urllib.request.urlopen(teacher.photo.url) as served:
        assert served.headers["Content-Type"] == "image/jpeg"
        assert served.read(3) == b"\xff\xd8\xff"


@pytest.mark.django_db
def test_replacing_a_photo_on_s3_deletes_the_old_files(
    client, s3_media, django_capture_on_commit_callbacks
):
    teacher = TeacherProfileFactory()
    client.force_login(teacher.user)
    data = {"display_name": "C", "headline": "h", "bio": "b", "price_30": "12", "price_60": "20"}
    client.post("/dashboard/teacher/profile/", {**data, "photo": photo_upload()})
    teacher.refresh_from_db()
    old = teacher.photo.name

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/dashboard/teacher/profile/", {**data, "photo": photo_upload()})

    teacher.refresh_from_db()
    assert teacher.photo.name != old
    assert not teacher.photo.storage.exists(old)
    assert teacher.photo.storage.exists(teacher.photo.name)
