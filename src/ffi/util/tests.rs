use super::*;
use crate::error::{errno, set_errno};
use std::sync::atomic::{AtomicI32, Ordering};

fn z85_enc(data: &[u8]) -> Option<String> {
    let mut buf = vec![0 as c_char; data.len() * 5 / 4 + 1];
    // SAFETY: buffer sized per the man page; data is a live slice.
    let r = unsafe { zmq_z85_encode(buf.as_mut_ptr(), data.as_ptr(), data.len()) };
    if r.is_null() {
        return None;
    }
    // SAFETY: zmq_z85_encode wrote a NUL-terminated string.
    Some(
        unsafe { CStr::from_ptr(buf.as_ptr()) }
            .to_str()
            .ok()?
            .to_owned(),
    )
}

fn z85_dec(text: &CStr) -> Option<Vec<u8>> {
    let mut buf = vec![0u8; text.to_bytes().len() * 4 / 5];
    // SAFETY: buffer sized per the man page.
    let r = unsafe { zmq_z85_decode(buf.as_mut_ptr(), text.as_ptr()) };
    (!r.is_null()).then_some(buf)
}

#[test]
fn errno_version_has_strerror() {
    set_errno(libc::EAGAIN);
    // SAFETY: plain calls with valid arguments.
    unsafe {
        assert_eq!(zmq_errno(), libc::EAGAIN);
        let (mut a, mut b, mut c) = (0, 0, 0);
        zmq_version(&mut a, &mut b, &mut c);
        assert_eq!((a, b, c), (4, 3, 5));
        zmq_version(ptr::null_mut(), &mut b, ptr::null_mut());
        assert_eq!(zmq_has(c"ipc".as_ptr()), 1);
        assert_eq!(zmq_has(c"curve".as_ptr()), 1);
        assert_eq!(zmq_has(c"draft".as_ptr()), 0);
        assert_eq!(zmq_has(c"bogus".as_ptr()), 0);
        assert_eq!(zmq_has(ptr::null()), 0);
        for code in [EFSM, ENOCOMPATPROTO, ETERM, EMTHREAD, libc::EINVAL, 99999] {
            let s = CStr::from_ptr(zmq_strerror(code)).to_str().unwrap();
            assert_eq!(s, crate::error::strerror(code), "code {code}");
        }
        assert_eq!(
            CStr::from_ptr(zmq_strerror(libc::EINVAL)).to_bytes(),
            b"Invalid argument"
        );
        // Checked against Debian's libzmq: its only text that differs
        // from glibc's strerror among the POSIX codes.
        assert_eq!(
            CStr::from_ptr(zmq_strerror(libc::EHOSTUNREACH)).to_bytes(),
            b"Host unreachable"
        );
    }
}

#[test]
fn z85_shims() {
    let hello = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B];
    assert_eq!(z85_enc(&hello).as_deref(), Some("HelloWorld"));
    assert_eq!(z85_dec(c"HelloWorld").as_deref(), Some(&hello[..]));
    assert_eq!(z85_enc(&[]).as_deref(), Some(""));
    set_errno(0);
    assert_eq!(z85_enc(&[1, 2, 3]), None);
    assert_eq!(errno(), libc::EINVAL);
    for bad in [c"", c"Hell", c"HelloWorld!", c"Hello~orld", c"%nSc1"] {
        set_errno(0);
        assert_eq!(z85_dec(bad), None, "{bad:?}");
        assert_eq!(errno(), libc::EINVAL);
    }
    let mut out = [0u8; 8];
    // SAFETY: NULL arguments must be refused without touching memory.
    unsafe {
        assert!(zmq_z85_decode(out.as_mut_ptr(), ptr::null()).is_null());
        assert_eq!(errno(), libc::EFAULT);
        assert!(zmq_z85_decode(ptr::null_mut(), c"HelloWorld".as_ptr()).is_null());
        assert_eq!(errno(), libc::EFAULT);
        assert!(zmq_z85_encode(ptr::null_mut(), out.as_ptr(), 4).is_null());
        assert_eq!(errno(), libc::EFAULT);
    }
}

#[test]
fn curve_shims() {
    let mut public = [0 as c_char; 41];
    let mut secret = [0 as c_char; 41];
    let mut derived = [0 as c_char; 41];
    // SAFETY: 41-byte buffers as the man pages require.
    unsafe {
        assert_eq!(
            zmq_curve_keypair(public.as_mut_ptr(), secret.as_mut_ptr()),
            0
        );
        assert_eq!(CStr::from_ptr(public.as_ptr()).to_bytes().len(), 40);
        assert_eq!(zmq_curve_public(derived.as_mut_ptr(), secret.as_ptr()), 0);
        assert_eq!(
            CStr::from_ptr(derived.as_ptr()),
            CStr::from_ptr(public.as_ptr())
        );
        assert_eq!(
            zmq_curve_public(
                derived.as_mut_ptr(),
                c"D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs".as_ptr()
            ),
            0
        );
        assert_eq!(
            CStr::from_ptr(derived.as_ptr()),
            c"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"
        );
        assert_eq!(zmq_curve_public(derived.as_mut_ptr(), c"abc".as_ptr()), -1);
        assert_eq!(errno(), libc::EINVAL);
        assert_eq!(zmq_curve_public(derived.as_mut_ptr(), ptr::null()), -1);
        assert_eq!(errno(), libc::EFAULT);
        assert_eq!(zmq_curve_keypair(ptr::null_mut(), secret.as_mut_ptr()), -1);
        assert_eq!(errno(), libc::EFAULT);
    }
}

static BUMPS: AtomicI32 = AtomicI32::new(0);

unsafe extern "C" fn bump_counter(arg: *mut c_void) {
    for _ in 0..10_000 {
        // SAFETY: arg is the counter handle given to zmq_threadstart.
        unsafe { zmq_atomic_counter_inc(arg) };
    }
    BUMPS.fetch_add(1, Ordering::SeqCst);
}

#[test]
fn counter_and_thread_shims() {
    // SAFETY: handles are used as the man pages describe.
    unsafe {
        let mut c = zmq_atomic_counter_new();
        assert!(!c.is_null());
        assert_eq!(zmq_atomic_counter_inc(c), 0);
        assert_eq!(zmq_atomic_counter_inc(c), 1);
        assert_eq!(zmq_atomic_counter_dec(c), 1);
        assert_eq!(zmq_atomic_counter_dec(c), 0);
        zmq_atomic_counter_set(c, 7);
        assert_eq!(zmq_atomic_counter_value(c), 7);
        zmq_atomic_counter_set(c, 0);
        let threads: Vec<_> = (0..4)
            .map(|_| zmq_threadstart(Some(bump_counter), c))
            .collect();
        for t in threads {
            assert!(!t.is_null());
            zmq_threadclose(t);
        }
        assert_eq!(zmq_atomic_counter_value(c), 40_000);
        assert_eq!(BUMPS.load(Ordering::SeqCst), 4);
        zmq_atomic_counter_destroy(&mut c);
        assert!(c.is_null());
        zmq_atomic_counter_destroy(&mut c);
        zmq_atomic_counter_destroy(ptr::null_mut());
        assert_eq!(zmq_atomic_counter_value(ptr::null_mut()), -1);
        assert_eq!(errno(), libc::EFAULT);
        assert!(zmq_threadstart(None, ptr::null_mut()).is_null());
        zmq_threadclose(ptr::null_mut());
    }
}

#[test]
fn stopwatch_shims() {
    // SAFETY: the stopwatch handle is used once each way.
    unsafe {
        let w = zmq_stopwatch_start();
        std::thread::sleep(std::time::Duration::from_millis(5));
        let mid = zmq_stopwatch_intermediate(w);
        assert!(mid >= 5000, "{mid}");
        assert!(zmq_stopwatch_stop(w) >= mid);
        assert_eq!(zmq_stopwatch_stop(ptr::null_mut()), 0);
        assert_eq!(zmq_stopwatch_intermediate(ptr::null_mut()), 0);
        zmq_sleep(0);
    }
}

/// Arguments for the timer handlers below.
struct Probe {
    timers: *mut c_void,
    fired: Vec<c_int>,
    cancel: c_int,
}

fn fired(arg: *mut c_void) -> Vec<c_int> {
    // SAFETY: arg points to the test's live Probe; no handler runs now.
    unsafe { (&*arg.cast::<Probe>()).fired.clone() }
}

unsafe extern "C" fn record(id: c_int, arg: *mut c_void) {
    // SAFETY: arg is the &mut Probe given to zmq_timers_add.
    let probe = unsafe { &mut *arg.cast::<Probe>() };
    probe.fired.push(id);
    if probe.cancel != 0 {
        // SAFETY: the handle is live during execute.
        unsafe {
            zmq_timers_cancel(probe.timers, probe.cancel);
            // Adding while executing must not fire in this round.
            zmq_timers_add(probe.timers, 0, Some(record), arg);
        }
        probe.cancel = 0;
    }
}

unsafe extern "C" fn destroy_in_handler(_id: c_int, arg: *mut c_void) {
    // SAFETY: arg points to the handle slot; destroy must be tolerated.
    unsafe { zmq_timers_destroy(arg.cast::<*mut c_void>()) };
}

#[test]
fn timers_shims() {
    // SAFETY: handles and probes live for the whole test.
    unsafe {
        let mut t = zmq_timers_new();
        let mut probe = Probe {
            timers: t,
            fired: Vec::new(),
            cancel: 0,
        };
        let arg = ptr::addr_of_mut!(probe).cast::<c_void>();
        assert_eq!(zmq_timers_timeout(t), -1);
        assert_eq!(zmq_timers_execute(t), 0);
        let a = zmq_timers_add(t, 0, Some(record), arg);
        let b = zmq_timers_add(t, 0, Some(record), arg);
        let slow = zmq_timers_add(t, 100_000, Some(record), arg);
        assert_eq!((a, b, slow), (1, 2, 3));
        assert_eq!(zmq_timers_timeout(t), 0);
        // `a` fires first, cancels `b` and adds a 0 ms timer (id 4).
        (*arg.cast::<Probe>()).cancel = b;
        assert_eq!(zmq_timers_execute(t), 0);
        assert_eq!(fired(arg), [a]);
        assert_eq!(zmq_timers_execute(t), 0);
        // `a` (re-armed at the first execute) and 4 (added by the
        // handler) are both due; their order depends on the clock.
        let mut second = fired(arg)[1..].to_vec();
        second.sort_unstable();
        assert_eq!(second, [a, 4]);

        assert_eq!(zmq_timers_cancel(t, b), -1);
        assert_eq!(errno(), libc::EINVAL);
        assert_eq!(zmq_timers_cancel(t, a), 0);
        assert_eq!(zmq_timers_cancel(t, a), -1);
        assert_eq!(errno(), libc::EINVAL);
        assert_eq!(zmq_timers_cancel(t, 4), 0);
        let left = zmq_timers_timeout(t);
        assert!(left > 90_000 && left <= 100_000, "{left}");
        assert_eq!(zmq_timers_set_interval(t, slow, 0), 0);
        assert_eq!(zmq_timers_timeout(t), 0);
        assert_eq!(zmq_timers_reset(t, 99), -1);
        assert_eq!(errno(), libc::EINVAL);
        assert_eq!(zmq_timers_set_interval(t, 99, 1), -1);
        assert_eq!(errno(), libc::EINVAL);

        assert_eq!(zmq_timers_add(t, 1, None, arg), -1);
        assert_eq!(errno(), libc::EFAULT);
        for rc in [
            zmq_timers_add(ptr::null_mut(), 1, Some(record), arg),
            zmq_timers_cancel(ptr::null_mut(), 1),
            zmq_timers_reset(ptr::null_mut(), 1),
            zmq_timers_set_interval(ptr::null_mut(), 1, 1),
            zmq_timers_execute(ptr::null_mut()),
            zmq_timers_timeout(ptr::null_mut()) as c_int,
            zmq_timers_destroy(ptr::null_mut()),
        ] {
            assert_eq!(rc, -1);
            assert_eq!(errno(), libc::EFAULT);
        }
        // A foreign, untagged object is refused.
        let mut junk = [0u64; 8];
        assert_eq!(zmq_timers_execute(junk.as_mut_ptr().cast::<c_void>()), -1);
        assert_eq!(errno(), libc::EFAULT);

        assert_eq!(zmq_timers_destroy(&mut t), 0);
        assert!(t.is_null());
        assert_eq!(zmq_timers_destroy(&mut t), -1);
        assert_eq!(errno(), libc::EFAULT);

        // A handler may destroy the handle while execute runs.
        let mut t2 = zmq_timers_new();
        let slot = ptr::addr_of_mut!(t2).cast::<c_void>();
        zmq_timers_add(t2, 0, Some(destroy_in_handler), slot);
        zmq_timers_add(t2, 0, Some(destroy_in_handler), slot);
        assert_eq!(zmq_timers_execute(t2), 0);
        assert!(t2.is_null());
    }
}
