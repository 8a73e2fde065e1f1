from google.protobuf import timestamp_pb2 as _timestamp_pb2
from wagate.session.v1 import session_pb2 as _session_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DeleteSessionRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DeleteSessionResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetSessionRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetSessionResponse(_message.Message):
    __slots__ = ["found", "snapshot"]
    FOUND_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    found: bool
    snapshot: SessionSnapshot
    def __init__(self, found: bool = ..., snapshot: _Optional[_Union[SessionSnapshot, _Mapping]] = ...) -> None: ...

class GetWorkerRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetWorkerResponse(_message.Message):
    __slots__ = ["capacity", "name", "session_count"]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SESSION_COUNT_FIELD_NUMBER: _ClassVar[int]
    capacity: int
    name: str
    session_count: int
    def __init__(self, name: _Optional[str] = ..., capacity: _Optional[int] = ..., session_count: _Optional[int] = ...) -> None: ...

class LogoutSessionRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class LogoutSessionResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class RequestPairingCodeRequest(_message.Message):
    __slots__ = ["name", "phone_number"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    name: str
    phone_number: str
    def __init__(self, name: _Optional[str] = ..., phone_number: _Optional[str] = ...) -> None: ...

class RequestPairingCodeResponse(_message.Message):
    __slots__ = ["expire_time", "found", "pairing_code"]
    EXPIRE_TIME_FIELD_NUMBER: _ClassVar[int]
    FOUND_FIELD_NUMBER: _ClassVar[int]
    PAIRING_CODE_FIELD_NUMBER: _ClassVar[int]
    expire_time: _timestamp_pb2.Timestamp
    found: bool
    pairing_code: str
    def __init__(self, found: bool = ..., pairing_code: _Optional[str] = ..., expire_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SessionSnapshot(_message.Message):
    __slots__ = ["last_error", "phone_number", "qr_code", "state", "update_time"]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    QR_CODE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    last_error: _session_pb2.SessionError
    phone_number: str
    qr_code: _session_pb2.QrCode
    state: _session_pb2.Session.State
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, state: _Optional[_Union[_session_pb2.Session.State, str]] = ..., phone_number: _Optional[str] = ..., last_error: _Optional[_Union[_session_pb2.SessionError, _Mapping]] = ..., update_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., qr_code: _Optional[_Union[_session_pb2.QrCode, _Mapping]] = ...) -> None: ...

class StartSessionRequest(_message.Message):
    __slots__ = ["engine", "fencing_token", "name"]
    ENGINE_FIELD_NUMBER: _ClassVar[int]
    FENCING_TOKEN_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    engine: _session_pb2.Engine
    fencing_token: int
    name: str
    def __init__(self, name: _Optional[str] = ..., engine: _Optional[_Union[_session_pb2.Engine, str]] = ..., fencing_token: _Optional[int] = ...) -> None: ...

class StartSessionResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class StopSessionRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class StopSessionResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class WatchSessionRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class WatchSessionResponse(_message.Message):
    __slots__ = ["new_qr_code", "snapshot"]
    NEW_QR_CODE_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    new_qr_code: bool
    snapshot: SessionSnapshot
    def __init__(self, snapshot: _Optional[_Union[SessionSnapshot, _Mapping]] = ..., new_qr_code: bool = ...) -> None: ...
