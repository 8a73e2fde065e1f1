from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from wagate.api.v1 import access_pb2 as _access_pb2
from wagate.session.v1 import session_pb2 as _session_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
EVENT_TYPE_MESSAGE_RECEIVED: EventType
EVENT_TYPE_MESSAGE_STATUS_CHANGED: EventType
EVENT_TYPE_SESSION_QR_CODE: EventType
EVENT_TYPE_SESSION_STATE_CHANGED: EventType
EVENT_TYPE_UNSPECIFIED: EventType

class ContactContent(_message.Message):
    __slots__ = ["display_name", "vcard"]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    VCARD_FIELD_NUMBER: _ClassVar[int]
    display_name: str
    vcard: str
    def __init__(self, display_name: _Optional[str] = ..., vcard: _Optional[str] = ...) -> None: ...

class Content(_message.Message):
    __slots__ = ["audio", "contact", "document", "image", "location", "mentions", "poll", "reaction", "reply_to", "text", "video"]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    MENTIONS_FIELD_NUMBER: _ClassVar[int]
    POLL_FIELD_NUMBER: _ClassVar[int]
    REACTION_FIELD_NUMBER: _ClassVar[int]
    REPLY_TO_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    VIDEO_FIELD_NUMBER: _ClassVar[int]
    audio: MediaContent
    contact: ContactContent
    document: MediaContent
    image: MediaContent
    location: LocationContent
    mentions: _containers.RepeatedScalarFieldContainer[str]
    poll: PollContent
    reaction: ReactionContent
    reply_to: str
    text: TextContent
    video: MediaContent
    def __init__(self, text: _Optional[_Union[TextContent, _Mapping]] = ..., image: _Optional[_Union[MediaContent, _Mapping]] = ..., video: _Optional[_Union[MediaContent, _Mapping]] = ..., audio: _Optional[_Union[MediaContent, _Mapping]] = ..., document: _Optional[_Union[MediaContent, _Mapping]] = ..., location: _Optional[_Union[LocationContent, _Mapping]] = ..., contact: _Optional[_Union[ContactContent, _Mapping]] = ..., reaction: _Optional[_Union[ReactionContent, _Mapping]] = ..., poll: _Optional[_Union[PollContent, _Mapping]] = ..., reply_to: _Optional[str] = ..., mentions: _Optional[_Iterable[str]] = ...) -> None: ...

class Event(_message.Message):
    __slots__ = ["cursor", "message", "qr_code", "session", "session_state", "time", "type"]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    QR_CODE_FIELD_NUMBER: _ClassVar[int]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    SESSION_STATE_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    cursor: str
    message: Message
    qr_code: QrCodeShown
    session: str
    session_state: SessionStateChange
    time: _timestamp_pb2.Timestamp
    type: EventType
    def __init__(self, cursor: _Optional[str] = ..., type: _Optional[_Union[EventType, str]] = ..., time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., session: _Optional[str] = ..., session_state: _Optional[_Union[SessionStateChange, _Mapping]] = ..., qr_code: _Optional[_Union[QrCodeShown, _Mapping]] = ..., message: _Optional[_Union[Message, _Mapping]] = ...) -> None: ...

class GetMessageRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetMessageResponse(_message.Message):
    __slots__ = ["message"]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    message: Message
    def __init__(self, message: _Optional[_Union[Message, _Mapping]] = ...) -> None: ...

class ListMessagesRequest(_message.Message):
    __slots__ = ["filter", "page_size", "page_token", "parent"]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    filter: str
    page_size: int
    page_token: str
    parent: str
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., filter: _Optional[str] = ...) -> None: ...

class ListMessagesResponse(_message.Message):
    __slots__ = ["messages", "next_page_token"]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    messages: _containers.RepeatedCompositeFieldContainer[Message]
    next_page_token: str
    def __init__(self, messages: _Optional[_Iterable[_Union[Message, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class LocationContent(_message.Message):
    __slots__ = ["address", "latitude", "longitude", "name"]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    address: str
    latitude: float
    longitude: float
    name: str
    def __init__(self, latitude: _Optional[float] = ..., longitude: _Optional[float] = ..., name: _Optional[str] = ..., address: _Optional[str] = ...) -> None: ...

class MarkMessageReadRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class MarkMessageReadResponse(_message.Message):
    __slots__ = ["message"]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    message: Message
    def __init__(self, message: _Optional[_Union[Message, _Mapping]] = ...) -> None: ...

class MediaContent(_message.Message):
    __slots__ = ["caption", "data", "file_name", "mime_type", "sha256", "size_bytes", "url", "voice_note"]
    CAPTION_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    VOICE_NOTE_FIELD_NUMBER: _ClassVar[int]
    caption: str
    data: bytes
    file_name: str
    mime_type: str
    sha256: str
    size_bytes: int
    url: str
    voice_note: bool
    def __init__(self, url: _Optional[str] = ..., data: _Optional[bytes] = ..., caption: _Optional[str] = ..., file_name: _Optional[str] = ..., mime_type: _Optional[str] = ..., voice_note: bool = ..., size_bytes: _Optional[int] = ..., sha256: _Optional[str] = ...) -> None: ...

class Message(_message.Message):
    __slots__ = ["chat", "content", "create_time", "deliver_time", "direction", "fail_time", "failure_message", "failure_reason", "name", "play_time", "read_time", "request_id", "send_time", "state", "typing", "update_time"]
    class Direction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = []
    class State(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = []
    CHAT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    DELIVER_TIME_FIELD_NUMBER: _ClassVar[int]
    DIRECTION_FIELD_NUMBER: _ClassVar[int]
    DIRECTION_INBOUND: Message.Direction
    DIRECTION_OUTBOUND: Message.Direction
    DIRECTION_UNSPECIFIED: Message.Direction
    FAILURE_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    FAIL_TIME_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PLAY_TIME_FIELD_NUMBER: _ClassVar[int]
    READ_TIME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SEND_TIME_FIELD_NUMBER: _ClassVar[int]
    STATE_DELIVERED: Message.State
    STATE_FAILED: Message.State
    STATE_FIELD_NUMBER: _ClassVar[int]
    STATE_PLAYED: Message.State
    STATE_QUEUED: Message.State
    STATE_READ: Message.State
    STATE_RECEIVED: Message.State
    STATE_SENT: Message.State
    STATE_UNSPECIFIED: Message.State
    TYPING_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    chat: str
    content: Content
    create_time: _timestamp_pb2.Timestamp
    deliver_time: _timestamp_pb2.Timestamp
    direction: Message.Direction
    fail_time: _timestamp_pb2.Timestamp
    failure_message: str
    failure_reason: str
    name: str
    play_time: _timestamp_pb2.Timestamp
    read_time: _timestamp_pb2.Timestamp
    request_id: str
    send_time: _timestamp_pb2.Timestamp
    state: Message.State
    typing: _duration_pb2.Duration
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., direction: _Optional[_Union[Message.Direction, str]] = ..., chat: _Optional[str] = ..., request_id: _Optional[str] = ..., content: _Optional[_Union[Content, _Mapping]] = ..., state: _Optional[_Union[Message.State, str]] = ..., failure_reason: _Optional[str] = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., send_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., deliver_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., read_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., play_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., fail_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., failure_message: _Optional[str] = ..., typing: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class PollContent(_message.Message):
    __slots__ = ["options", "question", "selectable_count"]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    SELECTABLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    options: _containers.RepeatedScalarFieldContainer[str]
    question: str
    selectable_count: int
    def __init__(self, question: _Optional[str] = ..., options: _Optional[_Iterable[str]] = ..., selectable_count: _Optional[int] = ...) -> None: ...

class QrCodeShown(_message.Message):
    __slots__ = ["code", "expire_time"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    EXPIRE_TIME_FIELD_NUMBER: _ClassVar[int]
    code: str
    expire_time: _timestamp_pb2.Timestamp
    def __init__(self, code: _Optional[str] = ..., expire_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ReactionContent(_message.Message):
    __slots__ = ["emoji", "message_id"]
    EMOJI_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    emoji: str
    message_id: str
    def __init__(self, message_id: _Optional[str] = ..., emoji: _Optional[str] = ...) -> None: ...

class SendMessageRequest(_message.Message):
    __slots__ = ["audio", "contact", "document", "image", "location", "mentions", "parent", "poll", "reaction", "reply_to", "request_id", "text", "to", "typing", "video"]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    MENTIONS_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    POLL_FIELD_NUMBER: _ClassVar[int]
    REACTION_FIELD_NUMBER: _ClassVar[int]
    REPLY_TO_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    TYPING_FIELD_NUMBER: _ClassVar[int]
    VIDEO_FIELD_NUMBER: _ClassVar[int]
    audio: MediaContent
    contact: ContactContent
    document: MediaContent
    image: MediaContent
    location: LocationContent
    mentions: _containers.RepeatedScalarFieldContainer[str]
    parent: str
    poll: PollContent
    reaction: ReactionContent
    reply_to: str
    request_id: str
    text: TextContent
    to: str
    typing: _duration_pb2.Duration
    video: MediaContent
    def __init__(self, parent: _Optional[str] = ..., to: _Optional[str] = ..., request_id: _Optional[str] = ..., text: _Optional[_Union[TextContent, _Mapping]] = ..., image: _Optional[_Union[MediaContent, _Mapping]] = ..., video: _Optional[_Union[MediaContent, _Mapping]] = ..., audio: _Optional[_Union[MediaContent, _Mapping]] = ..., document: _Optional[_Union[MediaContent, _Mapping]] = ..., location: _Optional[_Union[LocationContent, _Mapping]] = ..., contact: _Optional[_Union[ContactContent, _Mapping]] = ..., reaction: _Optional[_Union[ReactionContent, _Mapping]] = ..., poll: _Optional[_Union[PollContent, _Mapping]] = ..., reply_to: _Optional[str] = ..., mentions: _Optional[_Iterable[str]] = ..., typing: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class SendMessageResponse(_message.Message):
    __slots__ = ["message"]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    message: Message
    def __init__(self, message: _Optional[_Union[Message, _Mapping]] = ...) -> None: ...

class SessionStateChange(_message.Message):
    __slots__ = ["last_error", "phone_number", "state"]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    last_error: _session_pb2.SessionError
    phone_number: str
    state: _session_pb2.Session.State
    def __init__(self, state: _Optional[_Union[_session_pb2.Session.State, str]] = ..., phone_number: _Optional[str] = ..., last_error: _Optional[_Union[_session_pb2.SessionError, _Mapping]] = ...) -> None: ...

class StreamEventsRequest(_message.Message):
    __slots__ = ["event_types", "parent", "sessions", "start_after"]
    EVENT_TYPES_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    SESSIONS_FIELD_NUMBER: _ClassVar[int]
    START_AFTER_FIELD_NUMBER: _ClassVar[int]
    event_types: _containers.RepeatedScalarFieldContainer[EventType]
    parent: str
    sessions: _containers.RepeatedScalarFieldContainer[str]
    start_after: str
    def __init__(self, parent: _Optional[str] = ..., start_after: _Optional[str] = ..., event_types: _Optional[_Iterable[_Union[EventType, str]]] = ..., sessions: _Optional[_Iterable[str]] = ...) -> None: ...

class StreamEventsResponse(_message.Message):
    __slots__ = ["event"]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    event: Event
    def __init__(self, event: _Optional[_Union[Event, _Mapping]] = ...) -> None: ...

class TextContent(_message.Message):
    __slots__ = ["body"]
    BODY_FIELD_NUMBER: _ClassVar[int]
    body: str
    def __init__(self, body: _Optional[str] = ...) -> None: ...

class EventType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
