from google.protobuf import descriptor_pb2 as _descriptor_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

ACCESS_FIELD_NUMBER: _ClassVar[int]
DESCRIPTOR: _descriptor.FileDescriptor
access: _descriptor.FieldDescriptor

class AccessPolicy(_message.Message):
    __slots__ = ["anonymous", "owner_only", "platform_admin", "scope", "tenant_field"]
    ANONYMOUS_FIELD_NUMBER: _ClassVar[int]
    OWNER_ONLY_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_ADMIN_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    TENANT_FIELD_FIELD_NUMBER: _ClassVar[int]
    anonymous: bool
    owner_only: bool
    platform_admin: bool
    scope: str
    tenant_field: str
    def __init__(self, anonymous: bool = ..., scope: _Optional[str] = ..., platform_admin: bool = ..., owner_only: bool = ..., tenant_field: _Optional[str] = ...) -> None: ...
