use super::*;

#[test]
fn blocks_grow_and_shrink_across_the_boundary_intact() {
    // Vec's growth goes through `realloc`: small -> large -> small keeps
    // every byte, whichever allocator holds the block.
    let mut v: Vec<u8> = (0..1000u32).map(|i| i as u8).collect();
    v.reserve_exact(LARGE * 2);
    assert!(v.capacity() >= LARGE);
    v.extend((0..LARGE as u32).map(|i| (i * 7) as u8));
    v.truncate(500);
    v.shrink_to_fit();
    assert!(v.capacity() < LARGE);
    assert!(v.iter().enumerate().all(|(i, b)| *b == i as u8));
}

#[test]
fn zeroed_blocks_are_zero_on_both_sides() {
    for n in [16, LARGE - 1, LARGE, 4 * LARGE] {
        let v = vec![0u8; n];
        assert!(v.iter().all(|b| *b == 0), "{n}");
    }
}

#[test]
fn a_block_made_on_one_thread_is_freed_on_another() {
    let blocks: Vec<Vec<u8>> = (0..1000).map(|i| vec![i as u8; 100 + i]).collect();
    std::thread::spawn(move || {
        for (i, b) in blocks.iter().enumerate() {
            assert!(b.iter().all(|x| *x == i as u8));
        }
        drop(blocks);
    })
    .join()
    .unwrap();
}

#[test]
fn allocating_leaves_errno_alone() {
    // SAFETY (test): this thread's errno slot.
    let slot = unsafe { libc::__errno_location() };
    for n in [8, 1000, LARGE - 1] {
        unsafe { *slot = 1234 };
        let v = vec![1u8; n];
        drop(v);
        assert_eq!(unsafe { *slot }, 1234, "{n}");
    }
}
