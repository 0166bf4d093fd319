//! XSUB: the raw subscriber (zmq_socket(3)). Compatible peers: PUB, XPUB.
//! Can send (subscriptions and upstream messages), can receive.
//!
//! Subscriptions are single-frame messages: byte 1 then the topic
//! (subscribe) or byte 0 then the topic (unsubscribe). Those the socket
//! makes itself (SUB's setsockopt, the replay to a new pipe) carry
//! `Msg::SUBSCRIBE`/`Msg::CANCEL` and go to a ZMTP 3.1 peer as
//! SUBSCRIBE/CANCEL commands; those an XSUB application sends go out as
//! data frames (libzmq 4.3 does the same; its XPUB takes both forms).
//! Semantics of libzmq
//! 4.3.5's xsub:
//! - a subscription message sent by the user is counted in a [`Trie`] and
//!   always passed upstream to every pipe (duplicates included: the XPUB
//!   side dedups, and ZMQ_XPUB_VERBOSE relies on seeing them); an
//!   unsubscription is passed on only when it removes the topic's last
//!   count, or always under ZMQ_XSUB_VERBOSE_UNSUBSCRIBE; an unsubscription
//!   of an unknown topic is dropped;
//! - any other message is passed upstream to every pipe (dropped for a pipe
//!   at its HWM); with ZMQ_ONLY_FIRST_SUBSCRIBE, when the first frame of a
//!   multipart message is plain data the other frames are too, whatever
//!   their first byte; once a frame was a (un)subscription, the frames after
//!   it are examined again (libzmq's xsub sets its process-subscribe flag on
//!   every (un)subscription frame);
//! - a new pipe, and a pipe whose connection came back (`hiccup`), is sent
//!   every current subscription (one message per distinct topic);
//! - XSUB does not filter what it receives (the publisher does); SUB (see
//!   `sub.rs`, built on [`XSubCore`]) filters with the trie, on the first
//!   frame, delivering matching multipart messages whole; ZMQ_INVERT_MATCHING
//!   inverts that filter (the generic option store keeps the value too);
//! - ZMQ_TOPICS_COUNT (getsockopt) is the number of distinct topics.

use super::{int_opt, put_int};
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::socket::dist::Distributor;
use crate::socket::options::consts::{
    ZMQ_INVERT_MATCHING, ZMQ_ONLY_FIRST_SUBSCRIBE, ZMQ_TOPICS_COUNT, ZMQ_XSUB_VERBOSE_UNSUBSCRIBE,
};
use crate::socket::pipes::{FairQueue, PipeId, Pipes};
use crate::socket::trie::Trie;
use crate::socket::Pattern;

/// The state shared by SUB and XSUB.
pub struct XSubCore {
    fq: FairQueue,
    dist: Distributor,
    subs: Trie,
    /// SUB: deliver only messages matching a subscription.
    filter: bool,
    invert: bool,
    verbose_unsubs: bool,
    only_first: bool,
    more_send: bool,
    process_subscribe: bool,
    more_recv: bool,
    /// A matching first frame read ahead by `has_in`.
    prefetched: Option<Msg>,
}

/// Makes a subscription message: `flag` (1 subscribe, 0 cancel) + topic.
pub(crate) fn sub_msg(flag: u8, topic: &[u8]) -> Msg {
    let mut v = Vec::with_capacity(topic.len() + 1);
    v.push(flag);
    v.extend_from_slice(topic);
    Msg::from_vec(v)
}

/// A subscription the socket itself sends upstream (SUB's setsockopt, the
/// replay of every subscription to a new pipe): `sub_msg` marked with
/// `Msg::SUBSCRIBE`/`Msg::CANCEL`, so that a ZMTP 3.1 engine sends it as a
/// SUBSCRIBE/CANCEL command. A message an XSUB application sends goes out
/// unmarked, as a data frame `1 + topic`, as libzmq 4.3 does.
pub(crate) fn sub_cmd_msg(flag: u8, topic: &[u8]) -> Msg {
    let mut m = sub_msg(flag, topic);
    m.set_flags(if flag == 1 {
        Msg::SUBSCRIBE
    } else {
        Msg::CANCEL
    });
    m
}

/// Parses a boolean pattern option: an int >= 0, else EINVAL.
pub(crate) fn flag_opt(val: &[u8]) -> Result<bool> {
    let v = int_opt(val)?;
    if v < 0 {
        return Err(Error::EINVAL);
    }
    Ok(v != 0)
}

impl XSubCore {
    pub fn new(filter: bool) -> XSubCore {
        XSubCore {
            fq: FairQueue::default(),
            dist: Distributor::new(),
            subs: Trie::new(),
            filter,
            invert: false,
            verbose_unsubs: false,
            only_first: false,
            more_send: false,
            process_subscribe: false,
            more_recv: false,
            prefetched: None,
        }
    }

    /// Sends every current subscription to one pipe (dropped at its HWM,
    /// as libzmq).
    fn send_all_subscriptions(&self, pipes: &mut Pipes, id: PipeId) {
        self.subs.apply(|topic| {
            let _ = pipes.write(id, sub_cmd_msg(1, topic));
        });
    }

    fn matches(&self, m: &Msg) -> bool {
        self.subs.check(m.data()) ^ self.invert
    }

    /// The XSUB send logic (SUB's setsockopt goes through it too).
    fn send_upstream(&mut self, pipes: &mut Pipes, msg: Msg) {
        let first_part = !self.more_send;
        self.more_send = msg.more();
        if first_part {
            self.process_subscribe = !self.only_first;
        } else if !self.process_subscribe {
            self.dist.send_to_all(pipes, msg);
            return;
        }
        let data = msg.data();
        match data.split_first() {
            Some((1, topic)) => {
                self.process_subscribe = true;
                self.subs.add(topic);
                self.dist.send_to_all(pipes, msg);
            }
            Some((0, topic)) => {
                self.process_subscribe = true;
                if self.subs.rm(topic) || self.verbose_unsubs {
                    self.dist.send_to_all(pipes, msg);
                }
            }
            _ => self.dist.send_to_all(pipes, msg),
        }
    }

    /// Records ZMQ_INVERT_MATCHING and answers EINVAL so that the generic
    /// store keeps it as well (it is readable with getsockopt).
    fn note_invert(&mut self, opt: i32, val: &[u8]) -> Result<()> {
        if opt == ZMQ_INVERT_MATCHING {
            if let Ok(v) = int_opt(val) {
                self.invert = v != 0;
            }
        }
        Err(Error::EINVAL)
    }

    /// SUB's ZMQ_SUBSCRIBE / ZMQ_UNSUBSCRIBE.
    pub fn subscribe(&mut self, pipes: &mut Pipes, flag: u8, topic: &[u8]) {
        self.send_upstream(pipes, sub_cmd_msg(flag, topic));
    }

    /// Skips the remaining frames of a message whose first frame was
    /// rejected.
    fn skip_rest(&mut self, pipes: &mut Pipes, mut more: bool) {
        while more {
            match self.fq.recv(pipes) {
                Ok((m, _)) => more = m.more(),
                Err(_) => break,
            }
        }
    }
}

impl Pattern for XSubCore {
    fn defers_metadata(&self) -> bool {
        true
    }
    fn attach(&mut self, pipes: &mut Pipes, id: PipeId) -> bool {
        self.fq.attach(pipes, id);
        self.dist.attach(id);
        self.send_all_subscriptions(pipes, id);
        true
    }

    fn detach(&mut self, _pipes: &mut Pipes, id: PipeId) {
        self.fq.detach(id);
        self.dist.detach(id);
    }

    fn read_ready(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.fq.activate(pipes, id);
    }

    fn write_ready(&mut self, _pipes: &mut Pipes, id: PipeId) {
        self.dist.activated(id);
    }

    fn hiccup(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.send_all_subscriptions(pipes, id);
    }

    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        if self.filter {
            return Err((Error::ENOTSUP, msg));
        }
        self.send_upstream(pipes, msg);
        Ok(())
    }

    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        let mut m = Msg::new();
        self.recv_into(pipes, &mut m)?;
        Ok(m)
    }

    fn recv_into(&mut self, pipes: &mut Pipes, slot: &mut Msg) -> Result<()> {
        if let Some(m) = self.prefetched.take() {
            self.more_recv = m.more();
            *slot = m;
            return Ok(());
        }
        loop {
            self.fq.recv_into(pipes, slot)?;
            if self.more_recv || !self.filter || self.matches(slot) {
                self.more_recv = slot.more();
                return Ok(());
            }
            self.skip_rest(pipes, slot.more());
        }
    }

    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        if self.more_recv || self.prefetched.is_some() {
            return true;
        }
        loop {
            let Ok((m, _)) = self.fq.recv(pipes) else {
                return false;
            };
            if !self.filter || self.matches(&m) {
                self.prefetched = Some(m);
                return true;
            }
            self.skip_rest(pipes, m.more());
        }
    }

    fn has_out(&mut self, _pipes: &mut Pipes) -> bool {
        !self.filter
    }

    fn setsockopt(&mut self, _pipes: &mut Pipes, opt: i32, val: &[u8]) -> Result<()> {
        match opt {
            ZMQ_ONLY_FIRST_SUBSCRIBE => self.only_first = flag_opt(val)?,
            ZMQ_XSUB_VERBOSE_UNSUBSCRIBE => self.verbose_unsubs = flag_opt(val)?,
            _ => return self.note_invert(opt, val),
        }
        Ok(())
    }

    fn getsockopt(&self, opt: i32, buf: &mut [u8]) -> Result<usize> {
        match opt {
            ZMQ_TOPICS_COUNT => put_int(
                buf,
                i32::try_from(self.subs.num_prefixes()).unwrap_or(i32::MAX),
            ),
            _ => Err(Error::EINVAL),
        }
    }
}

/// XSUB (zmq_socket(3)).
pub struct XSub(XSubCore);

impl Default for XSub {
    fn default() -> Self {
        XSub(XSubCore::new(false))
    }
}

impl Pattern for XSub {
    fn defers_metadata(&self) -> bool {
        self.0.defers_metadata()
    }
    fn attach(&mut self, pipes: &mut Pipes, id: PipeId) -> bool {
        self.0.attach(pipes, id)
    }
    fn detach(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.0.detach(pipes, id)
    }
    fn read_ready(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.0.read_ready(pipes, id)
    }
    fn write_ready(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.0.write_ready(pipes, id)
    }
    fn hiccup(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.0.hiccup(pipes, id)
    }
    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        self.0.send(pipes, msg)
    }
    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        self.0.recv(pipes)
    }
    fn recv_into(&mut self, pipes: &mut Pipes, slot: &mut Msg) -> Result<()> {
        self.0.recv_into(pipes, slot)
    }
    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        self.0.has_in(pipes)
    }
    fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        self.0.has_out(pipes)
    }
    fn setsockopt(&mut self, pipes: &mut Pipes, opt: i32, val: &[u8]) -> Result<()> {
        self.0.setsockopt(pipes, opt, val)
    }
    fn getsockopt(&self, opt: i32, buf: &mut [u8]) -> Result<usize> {
        self.0.getsockopt(opt, buf)
    }
}

#[cfg(test)]
pub(crate) mod tests;
