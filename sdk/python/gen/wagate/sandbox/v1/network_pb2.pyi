from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Close(_message.Message):
    __slots__ = ["code", "reason"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    code: int
    reason: str
    def __init__(self, code: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class ConnectRequest(_message.Message):
    __slots__ = ["hello", "inbound_ack", "logout", "pairing_code_request", "send"]
    HELLO_FIELD_NUMBER: _ClassVar[int]
    INBOUND_ACK_FIELD_NUMBER: _ClassVar[int]
    LOGOUT_FIELD_NUMBER: _ClassVar[int]
    PAIRING_CODE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    SEND_FIELD_NUMBER: _ClassVar[int]
    hello: Hello
    inbound_ack: InboundAck
    logout: LogoutRequest
    pairing_code_request: PairingCodeRequest
    send: OutboundMessage
    def __init__(self, hello: _Optional[_Union[Hello, _Mapping]] = ..., pairing_code_request: _Optional[_Union[PairingCodeRequest, _Mapping]] = ..., send: _Optional[_Union[OutboundMessage, _Mapping]] = ..., inbound_ack: _Optional[_Union[InboundAck, _Mapping]] = ..., logout: _Optional[_Union[LogoutRequest, _Mapping]] = ...) -> None: ...

class ConnectResponse(_message.Message):
    __slots__ = ["close", "inbound", "open", "paired", "pairing_code", "qr", "receipt", "restriction", "state_counter"]
    CLOSE_FIELD_NUMBER: _ClassVar[int]
    INBOUND_FIELD_NUMBER: _ClassVar[int]
    OPEN_FIELD_NUMBER: _ClassVar[int]
    PAIRED_FIELD_NUMBER: _ClassVar[int]
    PAIRING_CODE_FIELD_NUMBER: _ClassVar[int]
    QR_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    RESTRICTION_FIELD_NUMBER: _ClassVar[int]
    STATE_COUNTER_FIELD_NUMBER: _ClassVar[int]
    close: Close
    inbound: InboundMessage
    open: Open
    paired: Paired
    pairing_code: PairingCode
    qr: QrReference
    receipt: Receipt
    restriction: Restriction
    state_counter: int
    def __init__(self, qr: _Optional[_Union[QrReference, _Mapping]] = ..., pairing_code: _Optional[_Union[PairingCode, _Mapping]] = ..., paired: _Optional[_Union[Paired, _Mapping]] = ..., open: _Optional[_Union[Open, _Mapping]] = ..., close: _Optional[_Union[Close, _Mapping]] = ..., receipt: _Optional[_Union[Receipt, _Mapping]] = ..., inbound: _Optional[_Union[InboundMessage, _Mapping]] = ..., restriction: _Optional[_Union[Restriction, _Mapping]] = ..., state_counter: _Optional[int] = ...) -> None: ...

class DeviceCredentials(_message.Message):
    __slots__ = ["device_id", "phone_number", "secret"]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    phone_number: str
    secret: str
    def __init__(self, device_id: _Optional[str] = ..., secret: _Optional[str] = ..., phone_number: _Optional[str] = ...) -> None: ...

class Hello(_message.Message):
    __slots__ = ["credentials", "session", "state_counter", "tenant"]
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    STATE_COUNTER_FIELD_NUMBER: _ClassVar[int]
    TENANT_FIELD_NUMBER: _ClassVar[int]
    credentials: DeviceCredentials
    session: str
    state_counter: int
    tenant: str
    def __init__(self, tenant: _Optional[str] = ..., session: _Optional[str] = ..., credentials: _Optional[_Union[DeviceCredentials, _Mapping]] = ..., state_counter: _Optional[int] = ...) -> None: ...

class InboundAck(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class InboundMessage(_message.Message):
    __slots__ = ["id", "offline", "send_time", "text", "undecryptable"]
    FROM_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    OFFLINE_FIELD_NUMBER: _ClassVar[int]
    SEND_TIME_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    UNDECRYPTABLE_FIELD_NUMBER: _ClassVar[int]
    id: str
    offline: bool
    send_time: _timestamp_pb2.Timestamp
    text: str
    undecryptable: bool
    def __init__(self, id: _Optional[str] = ..., text: _Optional[str] = ..., send_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., offline: bool = ..., undecryptable: bool = ..., **kwargs) -> None: ...

class LogoutRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class Open(_message.Message):
    __slots__ = ["phone_number"]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    phone_number: str
    def __init__(self, phone_number: _Optional[str] = ...) -> None: ...

class OutboundMessage(_message.Message):
    __slots__ = ["id", "text", "to"]
    ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    id: str
    text: str
    to: str
    def __init__(self, id: _Optional[str] = ..., to: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class Paired(_message.Message):
    __slots__ = ["credentials"]
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    credentials: DeviceCredentials
    def __init__(self, credentials: _Optional[_Union[DeviceCredentials, _Mapping]] = ...) -> None: ...

class PairingCode(_message.Message):
    __slots__ = ["code", "expire_time"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    EXPIRE_TIME_FIELD_NUMBER: _ClassVar[int]
    code: str
    expire_time: _timestamp_pb2.Timestamp
    def __init__(self, code: _Optional[str] = ..., expire_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PairingCodeRequest(_message.Message):
    __slots__ = ["phone_number"]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    phone_number: str
    def __init__(self, phone_number: _Optional[str] = ...) -> None: ...

class QrReference(_message.Message):
    __slots__ = ["code", "expire_time", "sequence"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    EXPIRE_TIME_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    code: str
    expire_time: _timestamp_pb2.Timestamp
    sequence: int
    def __init__(self, code: _Optional[str] = ..., expire_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., sequence: _Optional[int] = ...) -> None: ...

class Receipt(_message.Message):
    __slots__ = ["error", "error_code", "id", "status"]
    class Status(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = []
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_DELIVERED: Receipt.Status
    STATUS_ERROR: Receipt.Status
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_READ: Receipt.Status
    STATUS_SERVER_ACK: Receipt.Status
    STATUS_UNSPECIFIED: Receipt.Status
    error: str
    error_code: int
    id: str
    status: Receipt.Status
    def __init__(self, id: _Optional[str] = ..., status: _Optional[_Union[Receipt.Status, str]] = ..., error_code: _Optional[int] = ..., error: _Optional[str] = ...) -> None: ...

class Restriction(_message.Message):
    __slots__ = ["reason", "until"]
    REASON_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    reason: str
    until: _timestamp_pb2.Timestamp
    def __init__(self, reason: _Optional[str] = ..., until: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
