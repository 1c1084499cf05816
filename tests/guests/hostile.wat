;; A stand-in for a compromised guest. It reads the request like the real guest and then
;; misbehaves according to the first byte of the document (the "mode"):
;;   P  behave: one 2x2 page, then End            L  loop forever
;;   M  grow memory until refused, then trap       S  recurse until the stack overflows
;;   H  claim a 20000x20000 page                   X  a page frame whose length lies
;;   F  flood: pages 1, 2, 3... forever            N  one page, then return without End
;;   Q  trap in the middle of a page               E  flood stderr, then trap
;;   B  call every import with bad arguments, then behave like P
;;   W  one write holding two good pages and then a lying frame
;;   K  a report whose finding has a kind not in the protocol's list
;; Built for tests/it/hostile_guest.rs.
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (memory (export "memory") 2)
  ;; 0..16 iovec scratch, 16 result word, 1024.. the request.
  ;; Begin: pdf, page_count 5.
  (data (i32.const 32768) "\06\00\00\00\01\01\05\00\00\00")
  ;; Begin: pdf, page_count 0x7fffffff.
  (data (i32.const 32784) "\06\00\00\00\01\01\ff\ff\ff\7f")
  ;; End.
  (data (i32.const 32800) "\01\00\00\00\05")
  ;; Page: length 33, index 0 (patched at 32837), 2x2, 72 DPI, then 16 pixel bytes.
  (data (i32.const 32832) "\21\00\00\00\02\00\00\00\00\02\00\00\00\02\00\00\00\48\00\00\00")
  (data (i32.const 32853) "\80\80\80\ff\80\80\80\ff\80\80\80\ff\80\80\80\ff")
  ;; Page claiming 20000x20000 (length 1600000017).
  (data (i32.const 32896) "\11\10\5e\5f\02\00\00\00\00\20\4e\00\00\20\4e\00\00\48\00\00\00")
  ;; Page header for 2x2 whose frame length says 20.
  (data (i32.const 32928) "\14\00\00\00\02\00\00\00\00\02\00\00\00\02\00\00\00\48\00\00\00")
  ;; A second good page frame, index 1.
  (data (i32.const 33024) "\21\00\00\00\02\01\00\00\00\02\00\00\00\02\00\00\00\48\00\00\00")
  (data (i32.const 33045) "\80\80\80\ff\80\80\80\ff\80\80\80\ff\80\80\80\ff")
  ;; Report: one finding of kind "run-me" (not a kind the protocol lists), detail "x".
  (data (i32.const 33100) "\14\00\00\00\03\01\00\00\00\06\00\00\00run-me\01\00\00\00x")
  ;; Three iovecs: page 0, page 1, the lying frame.
  (data (i32.const 64) "\40\80\00\00\25\00\00\00\00\81\00\00\25\00\00\00\a0\80\00\00\18\00\00\00")

  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 16))))

  (func $read_all (local $pos i32) (local $n i32)
    (local.set $pos (i32.const 1024))
    (loop $more
      (i32.store (i32.const 0) (local.get $pos))
      (i32.store (i32.const 4) (i32.const 4096))
      (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 16)))
      (local.set $n (i32.load (i32.const 16)))
      (local.set $pos (i32.add (local.get $pos) (local.get $n)))
      (br_if $more (local.get $n))))

  (func $page (param $index i32)
    (i32.store (i32.const 32837) (local.get $index))
    (call $write (i32.const 1) (i32.const 32832) (i32.const 37)))

  (func $behave
    (call $write (i32.const 1) (i32.const 32768) (i32.const 10))
    (call $page (i32.const 0))
    (call $write (i32.const 1) (i32.const 32800) (i32.const 5)))

  (func $recurse (param i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))

  (func (export "_start") (local $mode i32) (local $i i32)
    (call $read_all)
    ;; The document starts at request offset 55 when there is no password.
    (local.set $mode (i32.load8_u (i32.const 1079)))
    (if (i32.eq (local.get $mode) (i32.const 0x50)) (then (call $behave) (return)))
    (if (i32.eq (local.get $mode) (i32.const 0x4c)) (then (loop $forever (br $forever))))
    (if (i32.eq (local.get $mode) (i32.const 0x4d)) (then
      (loop $grow (br_if $grow (i32.ne (memory.grow (i32.const 16)) (i32.const -1))))
      unreachable))
    (if (i32.eq (local.get $mode) (i32.const 0x53)) (then
      (drop (call $recurse (i32.const 0))) (return)))
    (if (i32.eq (local.get $mode) (i32.const 0x48)) (then
      (call $write (i32.const 1) (i32.const 32768) (i32.const 10))
      (call $write (i32.const 1) (i32.const 32896) (i32.const 21))
      (call $write (i32.const 1) (i32.const 32800) (i32.const 5))
      (return)))
    (if (i32.eq (local.get $mode) (i32.const 0x58)) (then
      (call $write (i32.const 1) (i32.const 32768) (i32.const 10))
      (call $write (i32.const 1) (i32.const 32928) (i32.const 24))
      (call $write (i32.const 1) (i32.const 32800) (i32.const 5))
      (return)))
    (if (i32.eq (local.get $mode) (i32.const 0x46)) (then
      (call $write (i32.const 1) (i32.const 32784) (i32.const 10))
      (loop $flood
        (call $page (local.get $i))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $flood))))
    (if (i32.eq (local.get $mode) (i32.const 0x4e)) (then
      (call $write (i32.const 1) (i32.const 32768) (i32.const 10))
      (call $page (i32.const 0))
      (return)))
    (if (i32.eq (local.get $mode) (i32.const 0x51)) (then
      (call $write (i32.const 1) (i32.const 32768) (i32.const 10))
      (call $write (i32.const 1) (i32.const 32832) (i32.const 29))
      unreachable))
    (if (i32.eq (local.get $mode) (i32.const 0x45)) (then
      (loop $noise
        (call $write (i32.const 2) (i32.const 0) (i32.const 65536))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $noise (i32.lt_u (local.get $i) (i32.const 64))))
      unreachable))
    (if (i32.eq (local.get $mode) (i32.const 0x57)) (then
      (call $write (i32.const 1) (i32.const 32768) (i32.const 10))
      (drop (call $fd_write (i32.const 1) (i32.const 64) (i32.const 3) (i32.const 16)))
      (call $write (i32.const 1) (i32.const 32800) (i32.const 5))
      (return)))
    (if (i32.eq (local.get $mode) (i32.const 0x4b)) (then
      (call $write (i32.const 1) (i32.const 32768) (i32.const 10))
      (call $write (i32.const 1) (i32.const 33100) (i32.const 24))
      (call $write (i32.const 1) (i32.const 32800) (i32.const 5))
      (return)))
    (if (i32.eq (local.get $mode) (i32.const 0x42)) (then
      ;; iovec pointing past the end of memory; an iovec array that wraps around;
      ;; a closed descriptor; results written out of bounds. Each must fail with an errno.
      (i32.store (i32.const 0) (i32.const 0x7fff0000))
      (i32.store (i32.const 4) (i32.const 64))
      (if (i32.eqz (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16))) (then unreachable))
      (if (i32.eqz (call $fd_write (i32.const 1) (i32.const -4) (i32.const 2) (i32.const 16))) (then unreachable))
      (if (i32.eqz (call $fd_write (i32.const 1) (i32.const 0) (i32.const -1) (i32.const 16))) (then unreachable))
      (if (i32.eqz (call $fd_write (i32.const 9) (i32.const 0) (i32.const 1) (i32.const 16))) (then unreachable))
      (if (i32.eqz (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const -2))) (then unreachable))
      (if (i32.eqz (call $random_get (i32.const -8) (i32.const 64))) (then unreachable))
      (if (i32.eqz (call $clock_time_get (i32.const 1) (i64.const 0) (i32.const -3))) (then unreachable))
      (if (i32.eqz (call $clock_time_get (i32.const 99) (i64.const 0) (i32.const 16))) (then unreachable))
      (if (i32.eqz (call $environ_sizes_get (i32.const -1) (i32.const 16))) (then unreachable))
      (call $behave)
      (return)))
    unreachable)
)
