//! XPUB: the raw publisher (zmq_socket(3)); PUB (`pub_.rs`) is the same
//! policy without receiving. Compatible peers: SUB, XSUB.
//!
//! Subscriptions arrive from each pipe as single-frame messages, byte 1 then
//! the topic (subscribe) or byte 0 then the topic (unsubscribe); the ZMTP
//! layer makes them from SUBSCRIBE/CANCEL commands. They are read as soon as
//! a pipe is attached or reports data, and applied to a [`MultiTrie`] of
//! topic -> pipes. Semantics of libzmq 4.3.5's xpub:
//! - send: at the first frame of a message, every pipe subscribed to a
//!   prefix of that frame is selected (ZMQ_INVERT_MATCHING selects the
//!   others); all frames go to that set ([`Distributor`]). A pipe at its HWM
//!   misses the message; under ZMQ_XPUB_NODROP the send fails with EAGAIN
//!   instead when any selected pipe is full (blocking sends wait);
//! - recv (XPUB only): subscription messages are handed to the application,
//!   by default only those that change a topic's state (first subscriber,
//!   last unsubscriber, or an unsubscribe the pipe did not have);
//!   ZMQ_XPUB_VERBOSE passes every subscribe, ZMQ_XPUB_VERBOSER every
//!   subscribe and unsubscribe. Messages from a pipe that are not
//!   subscriptions (an XSUB sending upstream) are handed up as they are,
//!   flags included; PUB drops them. With ZMQ_ONLY_FIRST_SUBSCRIBE, the
//!   frames after a first frame that is not a subscription are plain data;
//! - a pipe that goes away loses its subscriptions; each topic left without
//!   subscriber is reported as an unsubscription (every topic of the pipe
//!   under ZMQ_XPUB_VERBOSER);
//! - ZMQ_XPUB_MANUAL: subscriptions are not applied; every one is handed to
//!   the application, which then sets ZMQ_SUBSCRIBE / ZMQ_UNSUBSCRIBE on
//!   the XPUB to decide what the pipe that sent the last received
//!   subscription gets. ZMQ_XPUB_MANUAL_LAST_VALUE is manual mode where the
//!   first message sent after such a subscription goes only to that pipe
//!   (last-value caching);
//! - ZMQ_XPUB_WELCOME_MSG is sent to every new pipe (empty value: none);
//! - ZMQ_SUBSCRIBE on a non-manual XPUB or on PUB is EINVAL (as libzmq);
//!   PUB accepts the ZMQ_XPUB_* options as libzmq's pub_t does;
//! - ZMQ_TOPICS_COUNT (getsockopt) counts distinct subscribed topics;
//! - ZMQ_EVENTS: always POLLOUT; POLLIN (XPUB) when something is pending.

use super::put_int;
use super::xsub::{flag_opt, sub_msg};
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::pipe::ReadResult;
use crate::socket::dist::Distributor;
use crate::socket::options::consts::{
    ZMQ_INVERT_MATCHING, ZMQ_ONLY_FIRST_SUBSCRIBE, ZMQ_SUBSCRIBE, ZMQ_TOPICS_COUNT,
    ZMQ_UNSUBSCRIBE, ZMQ_XPUB_MANUAL, ZMQ_XPUB_MANUAL_LAST_VALUE, ZMQ_XPUB_NODROP,
    ZMQ_XPUB_VERBOSE, ZMQ_XPUB_VERBOSER, ZMQ_XPUB_WELCOME_MSG,
};
use crate::socket::pipes::{PipeId, Pipes};
use crate::socket::trie::{MultiTrie, RmResult};
use crate::socket::Pattern;
use std::collections::VecDeque;

/// A message waiting for the application's recv.
struct Pending {
    msg: Msg,
    /// Manual mode: the pipe a subscription came from (`Some(None)`: from a
    /// pipe that is gone); None for plain upstream data.
    pipe: Option<Option<PipeId>>,
}

/// XPUB, and PUB when `is_pub`.
pub struct XPub {
    is_pub: bool,
    dist: Distributor,
    subs: MultiTrie,
    /// Manual mode: what each pipe asked for (reported when it goes away).
    manual_subs: MultiTrie,
    pending: VecDeque<Pending>,
    verbose_subs: bool,
    verbose_unsubs: bool,
    lossy: bool,
    manual: bool,
    send_last_pipe: bool,
    only_first: bool,
    invert: bool,
    more_send: bool,
    more_recv: bool,
    process_subscribe: bool,
    last_pipe: Option<PipeId>,
    welcome: Option<Vec<u8>>,
}

impl XPub {
    pub fn new(is_pub: bool) -> XPub {
        XPub {
            is_pub,
            dist: Distributor::new(),
            subs: MultiTrie::new(),
            manual_subs: MultiTrie::new(),
            pending: VecDeque::new(),
            verbose_subs: false,
            verbose_unsubs: false,
            lossy: true,
            manual: false,
            send_last_pipe: false,
            only_first: false,
            invert: false,
            more_send: false,
            more_recv: false,
            process_subscribe: false,
            last_pipe: None,
            welcome: None,
        }
    }

    /// Reads everything the pipe has.
    fn drain(&mut self, pipes: &mut Pipes, id: PipeId) {
        while let ReadResult::Msg(m) = pipes.read(id) {
            self.incoming(id, m);
        }
    }

    fn push_pending(&mut self, msg: Msg, pipe: Option<Option<PipeId>>) {
        if !self.is_pub {
            self.pending.push_back(Pending { msg, pipe });
        }
    }

    /// Applies one message read from pipe `id`.
    fn incoming(&mut self, id: PipeId, msg: Msg) {
        let first_part = !self.more_recv;
        self.more_recv = msg.more();
        let parsed = if first_part || self.process_subscribe {
            match msg.data().split_first() {
                Some((&f, topic)) if f <= 1 => Some((f == 1, topic)),
                _ => None,
            }
        } else {
            None
        };
        if first_part {
            self.process_subscribe = !self.only_first || parsed.is_some();
        }
        let Some((subscribe, topic)) = parsed else {
            // Upstream user data (from an XSUB); PUB drops it.
            self.push_pending(msg, None);
            return;
        };
        let notify = if self.manual {
            if subscribe {
                self.manual_subs.add(topic, id);
            } else {
                self.manual_subs.rm(topic, id);
            }
            true
        } else if subscribe {
            self.subs.add(topic, id) || self.verbose_subs
        } else {
            self.subs.rm(topic, id) != RmResult::ValuesRemain || self.verbose_unsubs
        };
        if notify {
            let mut n = sub_msg(u8::from(subscribe), topic);
            n.set_metadata(msg.metadata().cloned());
            let tag = if self.manual { Some(Some(id)) } else { None };
            self.push_pending(n, tag);
        }
    }

    /// Reports a topic nobody is subscribed to any more.
    fn unsubscribed(
        pending: &mut VecDeque<Pending>,
        is_pub: bool,
        manual: bool,
        last_pipe: &mut Option<PipeId>,
        topic: &[u8],
    ) {
        if is_pub {
            return;
        }
        let tag = if manual {
            *last_pipe = None;
            Some(None)
        } else {
            None
        };
        pending.push_back(Pending {
            msg: sub_msg(0, topic),
            pipe: tag,
        });
    }
}

impl Pattern for XPub {
    fn attach(&mut self, pipes: &mut Pipes, id: PipeId) -> bool {
        self.dist.attach(id);
        if let Some(w) = &self.welcome {
            let _ = pipes.write(id, Msg::from_slice(w));
        }
        self.drain(pipes, id);
        true
    }

    fn detach(&mut self, _pipes: &mut Pipes, id: PipeId) {
        let (pending, is_pub, manual) = (&mut self.pending, self.is_pub, self.manual);
        let last_pipe = &mut self.last_pipe;
        if manual {
            self.manual_subs.rm_pipe(id, false, |t| {
                XPub::unsubscribed(pending, is_pub, manual, last_pipe, t)
            });
            self.subs.rm_pipe(id, false, |_| {});
        } else {
            self.subs.rm_pipe(id, !self.verbose_unsubs, |t| {
                XPub::unsubscribed(pending, is_pub, manual, last_pipe, t)
            });
        }
        if self.last_pipe == Some(id) {
            self.last_pipe = None;
        }
        // The id may be reused by a new pipe: forget it in what is queued.
        for p in self.pending.iter_mut() {
            if p.pipe == Some(Some(id)) {
                p.pipe = Some(None);
            }
        }
        self.dist.detach(id);
    }

    fn read_ready(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.drain(pipes, id);
    }

    fn write_ready(&mut self, _pipes: &mut Pipes, id: PipeId) {
        self.dist.activated(id);
    }

    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        let more = msg.more();
        if !self.more_send {
            // Nothing left from a previous attempt that failed.
            self.dist.unmatch();
            let dist = &mut self.dist;
            match self.last_pipe {
                Some(last) if self.manual && self.send_last_pipe => {
                    self.subs.match_prefixes(msg.data(), |p| {
                        if p == last {
                            dist.match_pipe(p)
                        }
                    });
                    self.last_pipe = None;
                }
                _ => self.subs.match_prefixes(msg.data(), |p| dist.match_pipe(p)),
            }
            if self.invert {
                self.dist.reverse_match();
            }
        }
        if self.lossy || self.dist.check_hwm(pipes) {
            self.dist.send_to_matching(pipes, msg);
            self.more_send = more;
            Ok(())
        } else {
            Err((Error::EAGAIN, msg))
        }
    }

    fn recv(&mut self, _pipes: &mut Pipes) -> Result<Msg> {
        if self.is_pub {
            return Err(Error::ENOTSUP);
        }
        let Some(p) = self.pending.pop_front() else {
            return Err(Error::EAGAIN);
        };
        if self.manual {
            if let Some(tag) = p.pipe {
                self.last_pipe = tag.filter(|id| self.dist.has_pipe(*id));
            }
        }
        Ok(p.msg)
    }

    fn has_in(&mut self, _pipes: &mut Pipes) -> bool {
        !self.is_pub && !self.pending.is_empty()
    }

    fn has_out(&mut self, _pipes: &mut Pipes) -> bool {
        true
    }

    fn setsockopt(&mut self, _pipes: &mut Pipes, opt: i32, val: &[u8]) -> Result<()> {
        match opt {
            ZMQ_XPUB_VERBOSE => {
                self.verbose_subs = flag_opt(val)?;
                self.verbose_unsubs = false;
            }
            ZMQ_XPUB_VERBOSER => {
                self.verbose_subs = flag_opt(val)?;
                self.verbose_unsubs = self.verbose_subs;
            }
            ZMQ_XPUB_MANUAL_LAST_VALUE => {
                self.manual = flag_opt(val)?;
                self.send_last_pipe = self.manual;
            }
            ZMQ_XPUB_NODROP => self.lossy = !flag_opt(val)?,
            ZMQ_XPUB_MANUAL => self.manual = flag_opt(val)?,
            ZMQ_ONLY_FIRST_SUBSCRIBE => self.only_first = flag_opt(val)?,
            ZMQ_SUBSCRIBE if self.manual => {
                if let Some(p) = self.last_pipe {
                    self.subs.add(val, p);
                }
            }
            ZMQ_UNSUBSCRIBE if self.manual => {
                if let Some(p) = self.last_pipe {
                    self.subs.rm(val, p);
                }
            }
            ZMQ_XPUB_WELCOME_MSG => {
                self.welcome = if val.is_empty() {
                    None
                } else {
                    Some(val.to_vec())
                };
            }
            ZMQ_INVERT_MATCHING => {
                // Recorded here; EINVAL lets the generic store keep it too.
                if let Ok(v) = super::int_opt(val) {
                    self.invert = v != 0;
                }
                return Err(Error::EINVAL);
            }
            _ => return Err(Error::EINVAL),
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

#[cfg(test)]
pub(crate) mod tests;
