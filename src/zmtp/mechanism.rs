//! Security mechanisms of ZMTP 3.x: NULL (RFC 23 §"The NULL Security
//! Mechanism"), PLAIN (RFC 24), the shared metadata encoding and the ZAP
//! request/reply (RFC 27); CURVE lives in `curve.rs`.
//!
//! A mechanism never writes bytes itself: it pushes command bodies into
//! `HsIo::cmds` (the connection frames them), a ZAP request into
//! `HsIo::zap`, and reports failure as a `ProtocolError`. When it fails after
//! queuing an ERROR command, that command is still framed so the engine can
//! flush it before closing (as libzmq does).

use super::curve::{CurveClient, CurveCodec, CurveServer};
use super::{codes, Config, MechanismConfig, ProtocolError, SocketType};
use crate::msg::Msg;

/// Output of one mechanism step.
pub(crate) struct HsIo<'a> {
    pub cfg: &'a Config,
    pub cmds: Vec<Vec<u8>>,
    pub zap: Option<Vec<Msg>>,
}

/// What the handshake learnt about the peer.
#[derive(Default, Debug, Clone)]
pub(crate) struct PeerInfo {
    pub props: Vec<(String, Vec<u8>)>,
    pub zap_props: Vec<(String, Vec<u8>)>,
    pub user_id: Vec<u8>,
}

// ---------------------------------------------------------------- commands

/// True when `body` is the command `name` (length-prefixed name).
pub(crate) fn is_cmd(body: &[u8], name: &[u8]) -> bool {
    body.first() == Some(&(name.len() as u8)) && body.get(1..1 + name.len()) == Some(name)
}

/// Starts a command body with its length-prefixed name.
pub(crate) fn cmd(name: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(64);
    v.push(name.len() as u8);
    v.extend_from_slice(name);
    v
}

/// An ERROR command carrying `reason`.
pub(crate) fn error_cmd(reason: &[u8]) -> Vec<u8> {
    let mut v = cmd(b"ERROR");
    v.push(reason.len().min(255) as u8);
    v.extend_from_slice(&reason[..reason.len().min(255)]);
    v
}

/// Interprets a received ERROR command as the error it reports.
pub(crate) fn parse_error(body: &[u8]) -> ProtocolError {
    let malformed = ProtocolError::Protocol(codes::MALFORMED_COMMAND_ERROR);
    let Some(&len) = body.get(6) else {
        return malformed;
    };
    let Some(reason) = body.get(7..7 + len as usize) else {
        return malformed;
    };
    match reason {
        [d @ b'3'..=b'5', b'0', b'0'] => ProtocolError::Auth(u32::from(d - b'0') * 100),
        _ => ProtocolError::PeerError(reason.to_vec()),
    }
}

// ---------------------------------------------------------------- metadata

fn add_property(buf: &mut Vec<u8>, name: &str, value: &[u8]) {
    // Both lengths are clamped to what their length fields can carry, so
    // the `as` casts below never truncate and the block stays parseable
    // (a property value over 4 GiB can only come from a caller's option).
    let name = &name.as_bytes()[..name.len().min(255)];
    let value = &value[..value.len().min(u32::MAX as usize)];
    buf.push(name.len() as u8);
    buf.extend_from_slice(name);
    buf.extend_from_slice(&(value.len() as u32).to_be_bytes());
    buf.extend_from_slice(value);
}

/// Appends libzmq's basic properties: Socket-Type, Identity (REQ, DEALER and
/// ROUTER only) and the user's ZMQ_METADATA sorted by name.
pub(crate) fn write_basic_properties(buf: &mut Vec<u8>, cfg: &Config) {
    add_property(buf, "Socket-Type", cfg.socket_type.name().as_bytes());
    if matches!(
        cfg.socket_type,
        SocketType::Req | SocketType::Dealer | SocketType::Router
    ) {
        add_property(buf, "Identity", &cfg.routing_id);
    }
    let mut user: Vec<&(String, Vec<u8>)> = cfg.metadata.iter().collect();
    user.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    for (n, v) in user {
        add_property(buf, n, v);
    }
}

/// Parses a metadata block; every byte must belong to a property.
pub(crate) fn parse_properties(mut data: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let mut props = Vec::new();
    while !data.is_empty() {
        let (&nlen, rest) = data.split_first()?;
        let name = rest.get(..nlen as usize)?;
        // `get(..nlen)` above proved rest.len() >= nlen.
        let rest = &rest[nlen as usize..];
        let vlen = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        let value = rest.get(4..4usize.checked_add(vlen)?)?;
        props.push((String::from_utf8_lossy(name).into_owned(), value.to_vec()));
        // `get(4..4 + vlen)` above proved rest.len() >= 4 + vlen.
        data = &rest[4 + vlen..];
    }
    Some(props)
}

/// Parses the peer's READY/INITIATE properties and checks its socket type
/// as libzmq's mechanism does: names compare exactly (case-sensitive), a
/// `Socket-Type` property must name a compatible type, and a peer that
/// sends none is accepted (its type is then assumed).
pub(crate) fn accept_properties(
    cfg: &Config,
    data: &[u8],
) -> Result<Vec<(String, Vec<u8>)>, ProtocolError> {
    let props = parse_properties(data).ok_or(ProtocolError::Protocol(codes::INVALID_METADATA))?;
    for (_, v) in props.iter().filter(|(n, _)| n == "Socket-Type") {
        match SocketType::from_name(v) {
            Some(st) if cfg.socket_type.compatible(st) => {}
            _ => return Err(ProtocolError::IncompatibleSocketType),
        }
    }
    Ok(props)
}

/// `accept_properties` for PLAIN and CURVE, which report a refused socket
/// type as invalid metadata on the monitor.
pub(crate) fn accept_properties_evented(
    cfg: &Config,
    data: &[u8],
) -> Result<Vec<(String, Vec<u8>)>, ProtocolError> {
    accept_properties(cfg, data).map_err(|e| match e {
        ProtocolError::IncompatibleSocketType => ProtocolError::Protocol(codes::INVALID_METADATA),
        other => other,
    })
}

// ---------------------------------------------------------------- ZAP

/// Builds a ZAP request (RFC 27): delimiter, version, request id, domain,
/// address, routing id, mechanism, credentials...
pub(crate) fn zap_request(cfg: &Config, mechanism: &[u8], credentials: &[&[u8]]) -> Vec<Msg> {
    let mut frames: Vec<Msg> = vec![
        Msg::new(),
        Msg::from_slice(b"1.0"),
        Msg::from_slice(b"1"),
        Msg::from_slice(&cfg.zap_domain),
        Msg::from_slice(cfg.peer_address.as_bytes()),
        Msg::from_slice(&cfg.routing_id),
        Msg::from_slice(mechanism),
    ];
    frames.extend(credentials.iter().map(|c| Msg::from_slice(c)));
    let n = frames.len();
    for (i, f) in frames.iter_mut().enumerate() {
        f.set_more(i + 1 < n);
    }
    frames
}

/// A checked ZAP reply.
pub(crate) struct ZapReply {
    pub status: u32,
    pub user_id: Vec<u8>,
    pub props: Vec<(String, Vec<u8>)>,
}

/// Checks a ZAP reply's 7 frames (MORE flags are not required: the engine
/// may hand them over as bare bodies).
pub(crate) fn parse_zap_reply(reply: &[Msg]) -> Result<ZapReply, ProtocolError> {
    let [delim, version, reqid, status, _text, user_id, meta] = reply else {
        return Err(ProtocolError::Zap(codes::ZAP_MALFORMED_REPLY));
    };
    if !delim.data().is_empty() {
        return Err(ProtocolError::Zap(codes::ZAP_MALFORMED_REPLY));
    }
    if version.data() != b"1.0" {
        return Err(ProtocolError::Zap(codes::ZAP_BAD_VERSION));
    }
    if reqid.data() != b"1" {
        return Err(ProtocolError::Zap(codes::ZAP_BAD_REQUEST_ID));
    }
    let status = match status.data() {
        b"200" => 200,
        b"300" => 300,
        b"400" => 400,
        b"500" => 500,
        _ => return Err(ProtocolError::Zap(codes::ZAP_INVALID_STATUS_CODE)),
    };
    let props =
        parse_properties(meta.data()).ok_or(ProtocolError::Zap(codes::ZAP_INVALID_METADATA))?;
    Ok(ZapReply {
        status,
        user_id: user_id.data().to_vec(),
        props,
    })
}

/// The status code as the three ASCII digits of an ERROR reason.
pub(crate) fn status_text(code: u32) -> Vec<u8> {
    code.to_string().into_bytes()
}

// ---------------------------------------------------------------- NULL

#[derive(Default)]
pub(crate) struct NullMech {
    ready_sent: bool,
    ready_received: bool,
    zap_pending: bool,
    peer: PeerInfo,
}

impl NullMech {
    fn send_ready(&mut self, io: &mut HsIo<'_>) {
        let mut c = cmd(b"READY");
        write_basic_properties(&mut c, io.cfg);
        io.cmds.push(c);
        self.ready_sent = true;
    }

    fn start(&mut self, io: &mut HsIo<'_>) -> Result<(), ProtocolError> {
        // NULL only asks ZAP when a domain is set (libzmq's zap_enabled()).
        if !io.cfg.zap_domain.is_empty() {
            if io.cfg.zap {
                io.zap = Some(zap_request(io.cfg, b"NULL", &[]));
                self.zap_pending = true;
                return Ok(());
            }
            if io.cfg.zap_enforce_domain {
                return Err(ProtocolError::NoZapHandler);
            }
        }
        self.send_ready(io);
        Ok(())
    }

    fn command(&mut self, io: &mut HsIo<'_>, body: &[u8]) -> Result<(), ProtocolError> {
        if self.ready_received {
            return Err(ProtocolError::Protocol(codes::UNEXPECTED_COMMAND));
        }
        if is_cmd(body, b"READY") {
            // is_cmd proved body.len() >= 1 + 5.
            self.peer.props = accept_properties(io.cfg, &body[6..])?;
            self.ready_received = true;
            Ok(())
        } else if is_cmd(body, b"ERROR") {
            Err(parse_error(body))
        } else {
            Err(ProtocolError::Protocol(codes::UNEXPECTED_COMMAND))
        }
    }

    fn zap_reply(&mut self, io: &mut HsIo<'_>, reply: &[Msg]) -> Result<(), ProtocolError> {
        if !self.zap_pending {
            return Ok(());
        }
        self.zap_pending = false;
        let r = parse_zap_reply(reply)?;
        self.peer.user_id = r.user_id;
        self.peer.zap_props = r.props;
        match r.status {
            200 => {
                self.send_ready(io);
                Ok(())
            }
            // Temporary failure: as libzmq, reported here and the client
            // silently disconnected (no ERROR; it will try again).
            300 => Err(ProtocolError::Auth(300)),
            code => {
                io.cmds.push(error_cmd(&status_text(code)));
                Err(ProtocolError::Auth(code))
            }
        }
    }
}

// ---------------------------------------------------------------- PLAIN

#[derive(PartialEq, Eq, Clone, Copy)]
enum PlainState {
    ExpectWelcome,
    ExpectReady,
    ExpectHello,
    WaitZap,
    ExpectInitiate,
    Done,
    Failed,
}

pub(crate) struct PlainMech {
    state: PlainState,
    peer: PeerInfo,
}

impl PlainMech {
    fn new(as_server: bool) -> PlainMech {
        PlainMech {
            state: if as_server {
                PlainState::ExpectHello
            } else {
                PlainState::ExpectWelcome
            },
            peer: PeerInfo::default(),
        }
    }

    fn start(&mut self, io: &mut HsIo<'_>) -> Result<(), ProtocolError> {
        if let MechanismConfig::Plain {
            as_server: false,
            username,
            password,
        } = &io.cfg.mechanism
        {
            let mut c = cmd(b"HELLO");
            let u = &username[..username.len().min(255)];
            let p = &password[..password.len().min(255)];
            c.push(u.len() as u8);
            c.extend_from_slice(u);
            c.push(p.len() as u8);
            c.extend_from_slice(p);
            io.cmds.push(c);
        }
        Ok(())
    }

    fn command(&mut self, io: &mut HsIo<'_>, body: &[u8]) -> Result<(), ProtocolError> {
        let unexpected = ProtocolError::Protocol(codes::UNEXPECTED_COMMAND);
        match self.state {
            PlainState::ExpectWelcome if is_cmd(body, b"WELCOME") => {
                if body.len() != 8 {
                    return Err(ProtocolError::Protocol(codes::MALFORMED_COMMAND_WELCOME));
                }
                let mut c = cmd(b"INITIATE");
                write_basic_properties(&mut c, io.cfg);
                io.cmds.push(c);
                self.state = PlainState::ExpectReady;
                Ok(())
            }
            PlainState::ExpectReady if is_cmd(body, b"READY") => {
                // is_cmd proved body.len() >= 1 + 5 (also for HELLO below).
                self.peer.props = accept_properties_evented(io.cfg, &body[6..])?;
                self.state = PlainState::Done;
                Ok(())
            }
            PlainState::ExpectWelcome | PlainState::ExpectReady if is_cmd(body, b"ERROR") => {
                Err(parse_error(body))
            }
            PlainState::ExpectHello if is_cmd(body, b"HELLO") => {
                let malformed = ProtocolError::Protocol(codes::MALFORMED_COMMAND_HELLO);
                let rest = &body[6..];
                let (&ulen, rest) = rest.split_first().ok_or(malformed.clone())?;
                let user = rest.get(..ulen as usize).ok_or(malformed.clone())?;
                // `get(..ulen)` above proved rest.len() >= ulen.
                let rest = &rest[ulen as usize..];
                let (&plen, rest) = rest.split_first().ok_or(malformed.clone())?;
                if rest.len() != plen as usize {
                    return Err(malformed);
                }
                if !io.cfg.zap {
                    return Err(ProtocolError::NoZapHandler);
                }
                io.zap = Some(zap_request(io.cfg, b"PLAIN", &[user, rest]));
                self.state = PlainState::WaitZap;
                Ok(())
            }
            PlainState::ExpectInitiate if is_cmd(body, b"INITIATE") => {
                // is_cmd proved body.len() >= 1 + 8.
                self.peer.props = accept_properties_evented(io.cfg, &body[9..])?;
                let mut c = cmd(b"READY");
                write_basic_properties(&mut c, io.cfg);
                io.cmds.push(c);
                self.state = PlainState::Done;
                Ok(())
            }
            _ => Err(unexpected),
        }
    }

    fn zap_reply(&mut self, io: &mut HsIo<'_>, reply: &[Msg]) -> Result<(), ProtocolError> {
        if self.state != PlainState::WaitZap {
            return Ok(());
        }
        let r = parse_zap_reply(reply)?;
        self.peer.user_id = r.user_id;
        self.peer.zap_props = r.props;
        if r.status == 200 {
            io.cmds.push(cmd(b"WELCOME"));
            self.state = PlainState::ExpectInitiate;
            Ok(())
        } else if r.status == 300 {
            // Temporary failure: as libzmq, reported here and the client
            // silently disconnected (no ERROR; it will try again).
            self.state = PlainState::Failed;
            Err(ProtocolError::Auth(300))
        } else {
            io.cmds.push(error_cmd(&status_text(r.status)));
            self.state = PlainState::Failed;
            Err(ProtocolError::Auth(r.status))
        }
    }
}

// ---------------------------------------------------------------- dispatch

pub(crate) enum Mech {
    Null(NullMech),
    Plain(PlainMech),
    CurveClient(Box<CurveClient>),
    CurveServer(Box<CurveServer>),
}

impl Mech {
    pub fn new(cfg: &Config) -> Result<Mech, ProtocolError> {
        Ok(match &cfg.mechanism {
            MechanismConfig::Null => Mech::Null(NullMech::default()),
            MechanismConfig::Plain { as_server, .. } => Mech::Plain(PlainMech::new(*as_server)),
            MechanismConfig::Curve {
                as_server: false,
                public_key,
                secret_key,
                server_key,
            } => Mech::CurveClient(Box::new(CurveClient::new(
                *public_key,
                *secret_key,
                *server_key,
            )?)),
            MechanismConfig::Curve {
                as_server: true,
                secret_key,
                ..
            } => Mech::CurveServer(Box::new(CurveServer::new(*secret_key)?)),
        })
    }

    pub fn start(&mut self, io: &mut HsIo<'_>) -> Result<(), ProtocolError> {
        match self {
            Mech::Null(m) => m.start(io),
            Mech::Plain(m) => m.start(io),
            Mech::CurveClient(m) => m.start(io),
            Mech::CurveServer(_) => Ok(()),
        }
    }

    pub fn command(&mut self, io: &mut HsIo<'_>, body: &[u8]) -> Result<(), ProtocolError> {
        match self {
            Mech::Null(m) => m.command(io, body),
            Mech::Plain(m) => m.command(io, body),
            Mech::CurveClient(m) => m.command(io, body),
            Mech::CurveServer(m) => m.command(io, body),
        }
    }

    pub fn zap_reply(&mut self, io: &mut HsIo<'_>, reply: &[Msg]) -> Result<(), ProtocolError> {
        match self {
            Mech::Null(m) => m.zap_reply(io, reply),
            Mech::Plain(m) => m.zap_reply(io, reply),
            Mech::CurveClient(_) => Ok(()),
            Mech::CurveServer(m) => m.zap_reply(io, reply),
        }
    }

    pub fn is_complete(&self) -> bool {
        match self {
            Mech::Null(m) => m.ready_sent && m.ready_received,
            Mech::Plain(m) => m.state == PlainState::Done,
            Mech::CurveClient(m) => m.is_complete(),
            Mech::CurveServer(m) => m.is_complete(),
        }
    }

    pub fn peer(&self) -> &PeerInfo {
        match self {
            Mech::Null(m) => &m.peer,
            Mech::Plain(m) => &m.peer,
            Mech::CurveClient(m) => &m.peer,
            Mech::CurveServer(m) => &m.peer,
        }
    }

    /// The CURVE message codec once the handshake has keyed it.
    pub fn codec(&mut self) -> Option<&mut CurveCodec> {
        match self {
            Mech::CurveClient(m) => m.codec.as_mut(),
            Mech::CurveServer(m) => m.codec.as_mut(),
            _ => None,
        }
    }

    pub fn name(cfg: &Config) -> &'static [u8] {
        match cfg.mechanism {
            MechanismConfig::Null => b"NULL",
            MechanismConfig::Plain { .. } => b"PLAIN",
            MechanismConfig::Curve { .. } => b"CURVE",
        }
    }
}
