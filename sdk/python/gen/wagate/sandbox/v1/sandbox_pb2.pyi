from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from wagate.api.v1 import access_pb2 as _access_pb2
from wagate.message.v1 import message_pb2 as _message_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateSandboxPhoneRequest(_message.Message):
    __slots__ = ["parent", "sandbox_phone"]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    SANDBOX_PHONE_FIELD_NUMBER: _ClassVar[int]
    parent: str
    sandbox_phone: SandboxPhone
    def __init__(self, parent: _Optional[str] = ..., sandbox_phone: _Optional[_Union[SandboxPhone, _Mapping]] = ...) -> None: ...

class CreateSandboxPhoneResponse(_message.Message):
    __slots__ = ["sandbox_phone"]
    SANDBOX_PHONE_FIELD_NUMBER: _ClassVar[int]
    sandbox_phone: SandboxPhone
    def __init__(self, sandbox_phone: _Optional[_Union[SandboxPhone, _Mapping]] = ...) -> None: ...

class DisconnectSandboxDevicesRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DisconnectSandboxDevicesResponse(_message.Message):
    __slots__ = ["disconnected_count"]
    DISCONNECTED_COUNT_FIELD_NUMBER: _ClassVar[int]
    disconnected_count: int
    def __init__(self, disconnected_count: _Optional[int] = ...) -> None: ...

class ListSandboxMessagesRequest(_message.Message):
    __slots__ = ["page_size", "page_token", "parent"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    parent: str
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListSandboxMessagesResponse(_message.Message):
    __slots__ = ["messages", "next_page_token"]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    messages: _containers.RepeatedCompositeFieldContainer[SandboxMessage]
    next_page_token: str
    def __init__(self, messages: _Optional[_Iterable[_Union[SandboxMessage, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class MarkSandboxMessagesPlayedRequest(_message.Message):
    __slots__ = ["message_ids", "parent"]
    MESSAGE_IDS_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    message_ids: _containers.RepeatedScalarFieldContainer[str]
    parent: str
    def __init__(self, parent: _Optional[str] = ..., message_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class MarkSandboxMessagesPlayedResponse(_message.Message):
    __slots__ = ["played_count"]
    PLAYED_COUNT_FIELD_NUMBER: _ClassVar[int]
    played_count: int
    def __init__(self, played_count: _Optional[int] = ...) -> None: ...

class MarkSandboxMessagesReadRequest(_message.Message):
    __slots__ = ["message_ids", "parent"]
    MESSAGE_IDS_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    message_ids: _containers.RepeatedScalarFieldContainer[str]
    parent: str
    def __init__(self, parent: _Optional[str] = ..., message_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class MarkSandboxMessagesReadResponse(_message.Message):
    __slots__ = ["marked_count"]
    MARKED_COUNT_FIELD_NUMBER: _ClassVar[int]
    marked_count: int
    def __init__(self, marked_count: _Optional[int] = ...) -> None: ...

class SandboxMessage(_message.Message):
    __slots__ = ["content", "direction", "id", "kind", "send_time", "status", "text", "to", "typing"]
    class Direction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = []
    class Kind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = []
    class Status(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = []
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    DIRECTION_FIELD_NUMBER: _ClassVar[int]
    DIRECTION_INBOUND: SandboxMessage.Direction
    DIRECTION_OUTBOUND: SandboxMessage.Direction
    DIRECTION_UNSPECIFIED: SandboxMessage.Direction
    FROM_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_AUDIO: SandboxMessage.Kind
    KIND_CONTACT: SandboxMessage.Kind
    KIND_DOCUMENT: SandboxMessage.Kind
    KIND_FIELD_NUMBER: _ClassVar[int]
    KIND_IMAGE: SandboxMessage.Kind
    KIND_LOCATION: SandboxMessage.Kind
    KIND_POLL: SandboxMessage.Kind
    KIND_REACTION: SandboxMessage.Kind
    KIND_TEXT: SandboxMessage.Kind
    KIND_UNSPECIFIED: SandboxMessage.Kind
    KIND_VIDEO: SandboxMessage.Kind
    SEND_TIME_FIELD_NUMBER: _ClassVar[int]
    STATUS_DELIVERED: SandboxMessage.Status
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_PLAYED: SandboxMessage.Status
    STATUS_READ: SandboxMessage.Status
    STATUS_SENT: SandboxMessage.Status
    STATUS_UNSPECIFIED: SandboxMessage.Status
    TEXT_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    TYPING_FIELD_NUMBER: _ClassVar[int]
    content: _message_pb2.Content
    direction: SandboxMessage.Direction
    id: str
    kind: SandboxMessage.Kind
    send_time: _timestamp_pb2.Timestamp
    status: SandboxMessage.Status
    text: str
    to: str
    typing: _duration_pb2.Duration
    def __init__(self, id: _Optional[str] = ..., direction: _Optional[_Union[SandboxMessage.Direction, str]] = ..., to: _Optional[str] = ..., text: _Optional[str] = ..., status: _Optional[_Union[SandboxMessage.Status, str]] = ..., send_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., kind: _Optional[_Union[SandboxMessage.Kind, str]] = ..., content: _Optional[_Union[_message_pb2.Content, _Mapping]] = ..., typing: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., **kwargs) -> None: ...

class SandboxPhone(_message.Message):
    __slots__ = ["create_time", "name", "online", "phone_number"]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ONLINE_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    create_time: _timestamp_pb2.Timestamp
    name: str
    online: bool
    phone_number: str
    def __init__(self, name: _Optional[str] = ..., phone_number: _Optional[str] = ..., online: bool = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ScanRequest(_message.Message):
    __slots__ = ["code", "phone_number", "tenant"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    TENANT_FIELD_NUMBER: _ClassVar[int]
    code: str
    phone_number: str
    tenant: str
    def __init__(self, tenant: _Optional[str] = ..., code: _Optional[str] = ..., phone_number: _Optional[str] = ...) -> None: ...

class ScanResponse(_message.Message):
    __slots__ = ["session"]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    session: str
    def __init__(self, session: _Optional[str] = ...) -> None: ...

class SendSandboxMessageRequest(_message.Message):
    __slots__ = ["name", "reaction", "reply_to", "text", "to"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REACTION_FIELD_NUMBER: _ClassVar[int]
    REPLY_TO_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    name: str
    reaction: _message_pb2.ReactionContent
    reply_to: str
    text: str
    to: str
    def __init__(self, name: _Optional[str] = ..., to: _Optional[str] = ..., text: _Optional[str] = ..., reply_to: _Optional[str] = ..., reaction: _Optional[_Union[_message_pb2.ReactionContent, _Mapping]] = ...) -> None: ...

class SendSandboxMessageResponse(_message.Message):
    __slots__ = ["message"]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    message: SandboxMessage
    def __init__(self, message: _Optional[_Union[SandboxMessage, _Mapping]] = ...) -> None: ...

class SetSandboxPhoneOnlineRequest(_message.Message):
    __slots__ = ["name", "online"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ONLINE_FIELD_NUMBER: _ClassVar[int]
    name: str
    online: bool
    def __init__(self, name: _Optional[str] = ..., online: bool = ...) -> None: ...

class SetSandboxPhoneOnlineResponse(_message.Message):
    __slots__ = ["sandbox_phone"]
    SANDBOX_PHONE_FIELD_NUMBER: _ClassVar[int]
    sandbox_phone: SandboxPhone
    def __init__(self, sandbox_phone: _Optional[_Union[SandboxPhone, _Mapping]] = ...) -> None: ...
