use super::*;
use crate::transport::{connect_finished, peer_address_string};
use std::io::{Read, Write};
use std::time::{Duration, Instant};

fn unique(tag: &str) -> String {
    format!(
        "{}-{}-{:?}",
        tag,
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

fn accept(l: &mio::net::UnixListener) -> mio::net::UnixStream {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match l.accept() {
            Ok((s, _)) => return s,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) => panic!("accept: {e}"),
        }
        assert!(Instant::now() < deadline, "accept timed out");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn path_checks() {
    assert_eq!(ipc_check_path("/tmp/x"), Ok(()));
    assert_eq!(ipc_check_path("@x"), Ok(()));
    assert_eq!(ipc_check_path("@"), Err(Error::EINVAL));
    assert_eq!(ipc_check_path(""), Err(Error::EINVAL));
    let long = format!("/tmp/{}", "a".repeat(103)); // 108 bytes
    assert_eq!(ipc_check_path(&long), Err(Error(libc::ENAMETOOLONG)));
    assert_eq!(ipc_check_path(&long[..107]), Ok(()));
    assert_eq!(ipc_bind(&long).err(), Some(Error(libc::ENAMETOOLONG)));
    assert_eq!(ipc_bind("@").err(), Some(Error::EINVAL));
    assert_eq!(
        ipc_connect("@").unwrap_err().raw_os_error(),
        Some(libc::EINVAL)
    );
    assert_eq!(
        ipc_bind("/nonexistent_dir_zmqrs/x").err(),
        Some(Error::ENOENT)
    );
}

#[test]
fn wildcard_bind_and_cleanup() {
    let (l, ep, file) = ipc_bind("*").unwrap();
    let file = file.unwrap();
    assert!(ep.starts_with("ipc://"), "{ep}");
    assert!(ep.ends_with("/socket") && !ep.contains("XXXXXX"), "{ep}");
    assert_eq!(Path::new(&ep["ipc://".len()..]), file.as_path());
    assert!(std::fs::symlink_metadata(&file)
        .unwrap()
        .file_type()
        .is_socket());
    let c = ipc_connect(&ep["ipc://".len()..]).unwrap();
    connect_finished(&c).unwrap();
    let _a = accept(&l);
    let (_l2, ep2, _f2) = ipc_bind("*").unwrap();
    assert_ne!(ep, ep2, "each wildcard is unique");
    drop(l);
    let dir = file.parent().unwrap().to_path_buf();
    ipc_cleanup(&file);
    assert!(!file.exists() && !dir.exists());
    if let Some(f2) = _f2 {
        ipc_cleanup(&f2);
    }
}

#[test]
fn abstract_bind_connect_and_eaddrinuse() {
    let name = format!("@{}", unique("zmqrs-abs"));
    let (l, ep, file) = ipc_bind(&name).unwrap();
    assert_eq!(ep, format!("ipc://{name}"));
    assert!(file.is_none());
    assert_eq!(ipc_bind(&name).err(), Some(Error::EADDRINUSE));
    let mut c = ipc_connect(&name).unwrap();
    connect_finished(&c).unwrap();
    let mut a = accept(&l);
    let proc_self = std::fs::metadata("/proc/self").unwrap();
    let me = format!(
        "localhost:{}:{}:{}",
        std::os::unix::fs::MetadataExt::uid(&proc_self),
        std::os::unix::fs::MetadataExt::gid(&proc_self),
        std::process::id()
    );
    assert_eq!(peer_address_string(&a), me);
    c.write_all(b"ok").unwrap();
    let mut buf = [0u8; 2];
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match a.read_exact(&mut buf) {
            Ok(()) => break,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) => panic!("{e}"),
        }
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(&buf, b"ok");
}

#[test]
fn file_bind_takes_over_and_keeps_file() {
    let path = format!("/tmp/{}.sock", unique("zmqrs-ipc"));
    let (l1, ep, file) = ipc_bind(&path).unwrap();
    assert_eq!(ep, format!("ipc://{path}"));
    assert!(file.is_none());
    // libzmq: a second bind removes the file and takes the path over.
    let (l2, _, _) = ipc_bind(&path).unwrap();
    let c = ipc_connect(&path).unwrap();
    connect_finished(&c).unwrap();
    let _a = accept(&l2);
    drop((l1, l2));
    assert!(Path::new(&path).exists(), "libzmq leaves the file");
    // A connect to a dead socket file is refused.
    assert_eq!(
        ipc_connect(&path).unwrap_err().raw_os_error(),
        Some(libc::ECONNREFUSED)
    );
    std::fs::remove_file(&path).unwrap();
    assert_eq!(
        ipc_connect(&path).unwrap_err().raw_os_error(),
        Some(libc::ENOENT)
    );
}

#[test]
fn regular_file_is_not_removed() {
    let path = format!("/tmp/{}.file", unique("zmqrs-ipc"));
    std::fs::write(&path, b"data").unwrap();
    assert_eq!(ipc_bind(&path).err(), Some(Error::EADDRINUSE));
    assert_eq!(std::fs::read(&path).unwrap(), b"data");
    std::fs::remove_file(&path).unwrap();
}
