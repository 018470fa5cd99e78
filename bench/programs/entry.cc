// cradle-bench-entry: the entrypoint of the start-latency benchmark's traced containers. Its
// first action is to read CLOCK_MONOTONIC, which it prints as `cradle-bench-entry <ns>`, so the
// benchmark knows when the container's own program began to run (the last phase of a start).
//
// Static and without libc (_start is ours): between the kernel's exec and the clock read there is
// no dynamic loader and no libc start-up to blur the mark. The clock is read with the raw syscall,
// as there is no vDSO lookup without libc; that costs well under a microsecond.

#if !defined(__x86_64__) && !defined(__aarch64__)
#error "cradle-bench-entry: only x86_64 and aarch64 syscalls are written out"
#endif

namespace {

#if defined(__x86_64__)
constexpr long kSysWrite = 1;
constexpr long kSysClockGettime = 228;
constexpr long kSysExitGroup = 231;

long raw_syscall(long number, long a, long b, long c) {
  long ret;
  asm volatile("syscall"
               : "=a"(ret)
               : "a"(number), "D"(a), "S"(b), "d"(c)
               : "rcx", "r11", "memory");
  return ret;
}
#else
constexpr long kSysWrite = 64;
constexpr long kSysClockGettime = 113;
constexpr long kSysExitGroup = 94;

long raw_syscall(long number, long a, long b, long c) {
  register long x8 asm("x8") = number;
  register long x0 asm("x0") = a;
  register long x1 asm("x1") = b;
  register long x2 asm("x2") = c;
  asm volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
  return x0;
}
#endif

constexpr long kClockMonotonic = 1;

struct KernelTimespec {
  long seconds;
  long nanoseconds;
};

// Writes "cradle-bench-entry <ns>\n" into out; returns its length.
long format_line(long long ns, char* out) {
  const char prefix[] = "cradle-bench-entry ";
  long n = 0;
  for (const char* p = prefix; *p != '\0'; ++p)
    out[n++] = *p;
  char digits[24];
  int count = 0;
  do {
    digits[count++] = static_cast<char>('0' + ns % 10);
    ns /= 10;
  } while (ns > 0);
  while (count > 0)
    out[n++] = digits[--count];
  out[n++] = '\n';
  return n;
}

}  // namespace

// The kernel enters here with the stack 16-byte aligned and no return address pushed: realign as
// a called function expects.
extern "C" [[noreturn]] __attribute__((force_align_arg_pointer, used)) void _start() {
  KernelTimespec now{0, 0};
  raw_syscall(kSysClockGettime, kClockMonotonic, reinterpret_cast<long>(&now), 0);
  char line[64];
  long length = format_line(now.seconds * 1'000'000'000LL + now.nanoseconds, line);
  raw_syscall(kSysWrite, 1, reinterpret_cast<long>(line), length);
  raw_syscall(kSysExitGroup, 0, 0, 0);
  __builtin_unreachable();
}
