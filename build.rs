//! Build script: gives the shared object libzmq's SONAME so that programs
//! linked against it record `NEEDED libzmq.so.5`, exactly as with libzmq.
fn main() {
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if target_os == "linux" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libzmq.so.5");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
