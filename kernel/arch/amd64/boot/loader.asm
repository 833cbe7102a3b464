/* GNU as syntax (AT&T), assembled by kernel/bootimage with as --64; not Go assembly.

 * Limnx PVH loader (x86-64).
 *
 * QEMU's -kernel starts this image in 32-bit protected mode through the Xen
 * PVH note (XEN_ELFNOTE_PHYS32_ENTRY), with %ebx pointing at hvm_start_info.
 * The Go kernel ELF travels as the PVH module (-initrd), prefixed by a 4 KiB
 * module header written by kernel/bootimage. The loader:
 *
 *   1. checks the CPU (long mode, XSAVE, FSGSBASE) and the module header;
 *   2. builds 4-level page tables:
 *        0x0000000000000000  identity map of the first 4 GiB (2 MiB pages,
 *                            page 0 unmapped so nil dereferences fault)
 *        0xffff800000000000  direct map of all physical memory (2 MiB pages)
 *        0xffffffff80000000  the kernel image, at kpbase physical
 *   3. enables PAE, long mode, SSE, XSAVE (XCR0 = x87|SSE|AVX when present);
 *   4. copies the kernel's PT_LOAD segments to kpbase and zeroes their bss;
 *   5. fills the handoff block (see kernel/bootinfo) and a Linux initial
 *      stack (argc, argv, envp, auxv with AT_PAGESZ, AT_RANDOM, AT_HWCAP and
 *      an AT_IGNORE slot the kernel turns into AT_SYSINFO_EHDR);
 *   6. jumps to the module header's entry with %rdi = handoff (direct map).
 *
 * Module header (little-endian uint64 fields, kernel/bootimage writes it):
 *   0x00 magic "LIMNXMOD"   0x08 version      0x10 entry VA
 *   0x18 kvbase             0x20 kpbase       0x28 kvend
 *   0x30 initramfs offset   0x38 initramfs size
 *   0x40 nsegs              0x48 reserved
 *   0x50 segs[8]: {vaddr, module offset, filesz, memsz}
 *
 * Physical layout: loader at 1 MiB, then page tables, the handoff page and
 * the 256 KiB initial stack (everything below handoff.reservedEnd is in use);
 * the kernel at kpbase (16 MiB); QEMU puts the module near the top of RAM.
 */

	.set COM1, 0x3f8
	.set DEBUG_EXIT, 0xf4
	.set DM_HI, 0xffff8000          /* upper half of the direct map base */
	.set STACK_PAGES, 64
	.set TRAMP_BASE, 0x8000         /* AP trampoline: SIPI vector 0x08 */

	.section .note.Xen, "a", @note
	.p2align 2
	.long 4                         /* namesz */
	.long 4                         /* descsz */
	.long 18                        /* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.long pvh_start

	.text
	.code32
	.globl pvh_start
pvh_start:
	cli
	cld
	movl $boot_stack_top, %esp
	movl %ebx, start_info
	rdtsc
	movl %eax, boot_tsc
	movl %edx, boot_tsc+4
	call serial_init

	cmpl $0x336ec578, (%ebx)
	je 1f
	movl $msg_magic, %esi
	jmp fail
1:	movl $0x80000001, %eax
	cpuid
	btl $29, %edx
	jc 1f
	movl $msg_nolm, %esi
	jmp fail
1:	movl $1, %eax
	cpuid
	movl %edx, hwcap
	movl %ecx, hwcap+4
	btl $26, %ecx
	jc 1f
	movl $msg_noxsave, %esi
	jmp fail
1:	movl $7, %eax
	xorl %ecx, %ecx
	cpuid
	btl $0, %ebx                    /* FSGSBASE: the runtime host's FS switch */
	jc 1f
	movl $msg_nofsgs, %esi
	jmp fail

	/* The module: the first modlist entry. */
1:	movl start_info, %ebx
	cmpl $1, 12(%ebx)
	jae 1f
	movl $msg_nomod, %esi
	jmp fail
1:	movl 16(%ebx), %esi
	movl (%esi), %eax
	movl %eax, mod_paddr
	movl 8(%esi), %eax
	movl %eax, mod_size
	movl mod_paddr, %esi
	cmpl $0x4e4d494c, (%esi)        /* "LIMN" */
	jne 2f
	cmpl $0x444f4d58, 4(%esi)       /* "XMOD" */
	je 1f
2:	movl $msg_badmod, %esi
	jmp fail

	/* ngib = GiB of physical address space to map: max RAM end, >= 4. */
1:	movl $4, ngib
	cmpl $1, 4(%ebx)                /* hvm_start_info.version */
	jb 3f
	movl 40(%ebx), %esi             /* memmap_paddr */
	movl 48(%ebx), %ecx             /* memmap_entries */
	testl %ecx, %ecx
	jz 3f
2:	cmpl $1, 16(%esi)               /* E820 RAM */
	jne 4f
	movl (%esi), %eax
	movl 4(%esi), %edx
	addl 8(%esi), %eax
	adcl 12(%esi), %edx             /* edx:eax = end */
	addl $0x3fffffff, %eax
	adcl $0, %edx
	shrdl $30, %edx, %eax           /* eax = ceil(end / 1 GiB) */
	cmpl ngib, %eax
	jbe 4f
	movl %eax, ngib
4:	addl $24, %esi
	loop 2b
3:	cmpl $512, ngib
	jbe 1f
	movl $512, ngib

	/* Page tables. */
1:	movl $loader_end, alloc_next
	call alloc_page
	movl %eax, pml4
	call alloc_page
	movl %eax, pdpt_dm
	call alloc_page
	movl %eax, pt0
	call alloc_page
	movl %eax, pdpt_k
	call alloc_page
	movl %eax, pd_k

	xorl %ebp, %ebp                 /* ebp = GiB index */
2:	call alloc_page                 /* eax = PD for this GiB */
	movl pdpt_dm, %edi
	movl %eax, %edx
	orl $3, %edx
	movl %edx, (%edi,%ebp,8)
	movl %eax, %edi
	xorl %ecx, %ecx                 /* ecx = 2 MiB index */
3:	movl %ebp, %eax
	shll $30, %eax
	movl %ecx, %edx
	shll $21, %edx
	orl %edx, %eax
	orl $0x83, %eax                 /* P|RW|PS */
	movl %eax, (%edi,%ecx,8)
	movl %ebp, %eax
	shrl $2, %eax
	movl %eax, 4(%edi,%ecx,8)
	incl %ecx
	cmpl $512, %ecx
	jb 3b
	incl %ebp
	cmpl ngib, %ebp
	jb 2b

	/* Identity map of the first 4 GiB: the direct map's PDs, except that
	 * the first 2 MiB go through pt0, where page 0 stays unmapped. */
	call alloc_page
	movl %eax, pdpt_id
	call alloc_page
	movl %eax, pd_id0
	movl %eax, %edi
	movl pt0, %eax
	orl $3, %eax
	movl %eax, (%edi)
	movl $1, %ecx
2:	movl %ecx, %eax
	shll $21, %eax
	orl $0x83, %eax
	movl %eax, (%edi,%ecx,8)
	incl %ecx
	cmpl $512, %ecx
	jb 2b
	movl pdpt_id, %edi
	movl pd_id0, %eax
	orl $3, %eax
	movl %eax, (%edi)
	movl pdpt_dm, %esi
	movl $1, %ecx
2:	movl (%esi,%ecx,8), %eax
	movl %eax, (%edi,%ecx,8)
	incl %ecx
	cmpl $4, %ecx
	jb 2b

	movl pt0, %edi                  /* page 0 stays unmapped */
	movl $1, %ecx
2:	movl %ecx, %eax
	shll $12, %eax
	orl $3, %eax
	movl %eax, (%edi,%ecx,8)
	incl %ecx
	cmpl $512, %ecx
	jb 2b

	movl pml4, %edi
	movl pdpt_id, %eax
	orl $3, %eax
	movl %eax, (%edi)               /* PML4[0]: identity */
	movl pdpt_dm, %eax
	orl $3, %eax
	movl %eax, 256*8(%edi)          /* PML4[256]: direct map */
	movl pdpt_k, %eax
	orl $3, %eax
	movl %eax, 511*8(%edi)          /* PML4[511]: kernel */
	movl pdpt_k, %edi
	movl pd_k, %eax
	orl $3, %eax
	movl %eax, 510*8(%edi)          /* 0xffffffff80000000 */

	movl mod_paddr, %esi
	movl 0x28(%esi), %ecx           /* kvend - kvbase, rounded to 2 MiB */
	subl 0x18(%esi), %ecx
	addl $0x1fffff, %ecx
	shrl $21, %ecx
	cmpl $512, %ecx
	jbe 1f
	movl $msg_big, %esi
	jmp fail
1:	movl pd_k, %edi
	movl 0x20(%esi), %eax           /* kpbase */
	orl $0x83, %eax
	xorl %edx, %edx
2:	jecxz 3f
	movl %eax, (%edi,%edx,8)
	addl $0x200000, %eax
	incl %edx
	decl %ecx
	jmp 2b

	/* Handoff page and initial stack (not zeroed: filled below). */
3:	call alloc_page
	movl %eax, handoff
	movl alloc_next, %eax
	movl %eax, stack_base
	addl $STACK_PAGES*4096, alloc_next

	/* Long mode. */
	movl pml4, %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $((1<<5)|(1<<7)|(1<<9)|(1<<10)|(1<<16)|(1<<18)), %eax /* PAE PGE OSFXSR OSXMMEXCPT FSGSBASE OSXSAVE */
	movl %eax, %cr4
	movl $3, %eax                   /* XCR0: x87 | SSE */
	testl $(1<<28), hwcap+4
	jz 1f
	orl $4, %eax                    /* | AVX */
1:	xorl %edx, %edx
	xorl %ecx, %ecx
	xsetbv
	movl $0xc0000080, %ecx          /* EFER */
	rdmsr
	orl $((1<<8)|(1<<0)), %eax      /* LME | SCE */
	wrmsr
	movl %cr0, %eax
	andl $~((1<<2)|(1<<3)|(1<<29)|(1<<30)), %eax  /* ~EM ~TS ~NW ~CD */
	orl $((1<<31)|(1<<16)|(1<<5)|(1<<1)|(1<<0)), %eax /* PG WP NE MP PE */
	movl %eax, %cr0
	lgdt gdt_desc
	ljmp $0x08, $long_mode

/* alloc_page returns in %eax a zeroed 4 KiB page from alloc_next. */
alloc_page:
	pushl %edi
	pushl %ecx
	movl alloc_next, %edi
	pushl %edi
	movl $1024, %ecx
	xorl %eax, %eax
	rep stosl
	popl %eax
	addl $4096, alloc_next
	popl %ecx
	popl %edi
	ret

serial_init:
	movw $COM1+1, %dx
	movb $0, %al
	outb %al, %dx                   /* IER = 0 */
	movw $COM1+3, %dx
	movb $0x80, %al
	outb %al, %dx                   /* DLAB */
	movw $COM1, %dx
	movb $1, %al
	outb %al, %dx                   /* 115200 */
	movw $COM1+1, %dx
	movb $0, %al
	outb %al, %dx
	movw $COM1+3, %dx
	movb $3, %al
	outb %al, %dx                   /* 8N1 */
	movw $COM1+2, %dx
	movb $0xc7, %al
	outb %al, %dx                   /* FIFO */
	movw $COM1+4, %dx
	movb $0x0b, %al
	outb %al, %dx
	ret

/* puts prints the NUL-terminated string at %esi on COM1. */
puts:
	lodsb
	testb %al, %al
	jz 2f
	movb %al, %ah
	movw $COM1+5, %dx
1:	inb %dx, %al
	testb $0x20, %al
	jz 1b
	movb %ah, %al
	movw $COM1, %dx
	outb %al, %dx
	jmp puts
2:	ret

/* fail prints %esi and stops QEMU through isa-debug-exit (status 33). */
fail:
	pushl %esi
	movl $msg_prefix, %esi
	call puts
	popl %esi
	call puts
	movw $DEBUG_EXIT, %dx
	movb $0x10, %al
	outb %al, %dx
1:	hlt
	jmp 1b

	.code64
long_mode:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorl %eax, %eax
	movw %ax, %fs
	movw %ax, %gs

	/* Copy the kernel segments to kpbase and zero their bss. */
	movl mod_paddr, %ebx
	movq 0x40(%rbx), %r9            /* nsegs */
	leaq 0x50(%rbx), %r8
	cmpq $8, %r9
	jbe 1f
	movq $8, %r9
1:	testq %r9, %r9
	jz 3f
	movq (%r8), %rdi
	subq 0x18(%rbx), %rdi
	addq 0x20(%rbx), %rdi           /* destination (identity) */
	movq 8(%r8), %rsi
	addq %rbx, %rsi                 /* source in the module */
	movq 16(%r8), %rcx
	movq %rcx, %rdx
	shrq $3, %rcx
	rep movsq
	movq %rdx, %rcx
	andq $7, %rcx
	rep movsb
	movq 24(%r8), %rcx              /* memsz - filesz bytes of zeroes */
	subq 16(%r8), %rcx
	xorl %eax, %eax
	movq %rcx, %rdx
	shrq $3, %rcx
	rep stosq
	movq %rdx, %rcx
	andq $7, %rcx
	rep stosb
	addq $32, %r8
	decq %r9
	jmp 1b

	/* The AP trampoline goes to TRAMP_BASE, below 1 MiB (SIPI). */
3:	movl $TRAMP_BASE, %edi
	leaq ap_tramp(%rip), %rsi
	movq $ap_tramp_end-ap_tramp, %rcx
	rep movsb

	/* Handoff block (layout: kernel/bootinfo.Handoff). */
	movl handoff, %edi
	movabsq $0x4f4f424e584d494c, %rax /* "LIMNXBOO" */
	movq %rax, 0x00(%rdi)
	movl start_info, %eax
	movq %rax, 0x08(%rdi)
	movq boot_tsc, %rax
	movq %rax, 0x10(%rdi)
	movq 0x20(%rbx), %rax
	movq %rax, 0x18(%rdi)           /* kernel phys start */
	movq 0x28(%rbx), %rax
	subq 0x18(%rbx), %rax
	addq $0x1fffff, %rax
	andq $~0x1fffff, %rax
	addq 0x20(%rbx), %rax
	movq %rax, 0x20(%rdi)           /* kernel phys end (2 MiB mapped) */
	movq %rbx, 0x28(%rdi)
	movl mod_size, %eax
	movq %rax, 0x30(%rdi)
	movl alloc_next, %eax
	movq %rax, 0x38(%rdi)           /* reservedEnd */
	movabsq $0xffff800000000000, %rax
	movq %rax, 0x40(%rdi)
	movl ngib, %eax
	shlq $30, %rax
	movq %rax, 0x48(%rdi)           /* direct map size */
	movl start_info, %esi
	movq 24(%rsi), %rax
	movq %rax, 0x50(%rdi)           /* cmdline phys */
	xorl %eax, %eax
	xorl %ecx, %ecx
	cmpl $1, 4(%rsi)
	jb 1f
	movq 40(%rsi), %rax
	movl 48(%rsi), %ecx
1:	movq %rax, 0x58(%rdi)           /* memmap phys */
	movq %rcx, 0x60(%rdi)           /* memmap entries */
	xorl %eax, %eax
	movq 0x38(%rbx), %rcx
	testq %rcx, %rcx
	jz 1f
	movq 0x30(%rbx), %rax
	addq %rbx, %rax
1:	movq %rax, 0x68(%rdi)           /* initramfs phys */
	movq %rcx, 0x70(%rdi)           /* initramfs size */
	movl pml4, %eax
	movq %rax, 0x78(%rdi)
	movq hwcap, %rax
	movq %rax, 0x80(%rdi)
	movq $TRAMP_BASE+ap_params-ap_tramp, %rax
	movq %rax, 0x88(%rdi)           /* AP trampoline parameters */

	/* Initial stack: strings at S = top-128, vectors at S-128. */
	movl stack_base, %edi
	addl $STACK_PAGES*4096-128, %edi  /* rdi = S (identity) */
	movabsq $0xffff800000000000, %r10 /* direct map base */
	leaq (%rdi,%r10), %r11          /* r11 = S (direct map) */
	leaq str_argv0(%rip), %rsi
	movq $6, %rcx
	rep movsb                       /* S+0: "limnx" */
	movl stack_base, %edi
	addl $STACK_PAGES*4096-128+16, %edi
	leaq str_env0(%rip), %rsi
	movq $str_env0_end-str_env0, %rcx
	rep movsb                       /* S+16: GODEBUG=... */
	movl stack_base, %edi
	addl $STACK_PAGES*4096-128+48, %edi
	rdtsc
	shlq $32, %rdx
	orq %rdx, %rax
	movabsq $0x9e3779b97f4a7c15, %rdx
	imulq %rdx, %rax
	testl $(1<<30), hwcap+4         /* RDRAND */
	jz 1f
2:	rdrand %rdx
	jnc 2b
	xorq %rdx, %rax
1:	movq %rax, (%rdi)
	rorq $29, %rax
	imulq $0x2545F491, %rax
	movq %rax, 8(%rdi)              /* S+48: AT_RANDOM bytes */

	movl stack_base, %edi
	addl $STACK_PAGES*4096-256, %edi
	movq $1, 0(%rdi)                /* argc */
	movq %r11, 8(%rdi)              /* argv[0] */
	movq $0, 16(%rdi)
	leaq 16(%r11), %rax
	movq %rax, 24(%rdi)             /* envp[0] */
	movq $0, 32(%rdi)
	movq $6, 40(%rdi)               /* AT_PAGESZ */
	movq $4096, 48(%rdi)
	movq $25, 56(%rdi)              /* AT_RANDOM */
	leaq 48(%r11), %rax
	movq %rax, 64(%rdi)
	movq $16, 72(%rdi)              /* AT_HWCAP */
	movl hwcap, %eax
	movq %rax, 80(%rdi)
	movq $1, 88(%rdi)               /* AT_IGNORE: the kernel makes it AT_SYSINFO_EHDR */
	movq $0, 96(%rdi)
	movq $0, 104(%rdi)              /* AT_NULL */
	movq $0, 112(%rdi)

	leaq (%rdi,%r10), %rsp          /* the initial stack, via the direct map */
	movl handoff, %edi
	addq %r10, %rdi
	movq 0x10(%rbx), %rax
	xorl %ebp, %ebp
	jmp *%rax

/*
 * AP trampoline, copied to TRAMP_BASE. An application processor starts here
 * in real mode (CS = TRAMP_BASE>>4, IP = 0) after INIT-SIPI-SIPI, and goes
 * through protected mode to long mode with the kernel's page tables, then
 * jumps to ap_params.entry with %rdi and %rsp taken from ap_table by its
 * local APIC ID, so all APs can start at once. The kernel fills ap_params
 * and ap_table first; each AP counts itself in ap_params.started. Position-dependent: every
 * absolute address is TRAMP_BASE + (label - ap_tramp).
 */
	.p2align 4
	.code16
ap_tramp:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	lgdtl ap_gdt_desc-ap_tramp
	movl %cr0, %eax
	orl $1, %eax
	movl %eax, %cr0
	ljmpl $0x18, $TRAMP_BASE+ap_pm32-ap_tramp
	.code32
ap_pm32:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl %cr4, %eax
	orl $((1<<5)|(1<<7)|(1<<9)|(1<<10)|(1<<16)|(1<<18)), %eax
	movl %eax, %cr4
	movl TRAMP_BASE+ap_params-ap_tramp+0, %eax     /* cr3 */
	movl %eax, %cr3
	movl $0xc0000080, %ecx
	rdmsr
	orl $((1<<8)|(1<<0)), %eax
	wrmsr
	movl %cr0, %eax
	andl $~((1<<2)|(1<<3)|(1<<29)|(1<<30)), %eax
	orl $((1<<31)|(1<<16)|(1<<5)|(1<<1)|(1<<0)), %eax
	movl %eax, %cr0
	ljmpl $0x08, $TRAMP_BASE+ap_lm64-ap_tramp
	.code64
ap_lm64:
	movl TRAMP_BASE+ap_params-ap_tramp+8, %eax      /* xcr0 */
	xorl %edx, %edx
	xorl %ecx, %ecx
	xsetbv
	xorl %eax, %eax
	movw %ax, %fs
	movw %ax, %gs
	movl 0xfee00020, %eax                           /* local APIC ID */
	shrl $24, %eax
	andl $63, %eax
	shll $4, %eax
	movq TRAMP_BASE+ap_table-ap_tramp(%rax), %rsp   /* stack */
	movq TRAMP_BASE+ap_table-ap_tramp+8(%rax), %rdi /* cpu block */
	movq TRAMP_BASE+ap_params-ap_tramp+24, %rax     /* entry */
	lock incl TRAMP_BASE+ap_params-ap_tramp+40      /* started */
	jmp *%rax
	.p2align 3
ap_gdt:
	.quad 0
	.quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff        /* 0x10: flat data */
	.quad 0x00cf9a000000ffff        /* 0x18: flat 32-bit code */
ap_gdt_end:
ap_gdt_desc:
	.word ap_gdt_end-ap_gdt-1
	.long TRAMP_BASE+ap_gdt-ap_tramp
	.p2align 3
ap_params:                              /* kernel/runtimehost apParams */
	.quad 0                         /* +0  cr3 */
	.quad 0                         /* +8  xcr0 */
	.quad 0                         /* +16 unused */
	.quad 0                         /* +24 entry */
	.quad 0                         /* +32 unused */
	.quad 0                         /* +40 APs started (count) */
ap_table:                               /* +48 [64]{stack top, cpu block} by APIC ID */
	.skip 64*16
ap_tramp_end:

	.data
	.p2align 3
gdt:
	.quad 0
	.quad 0x00209a0000000000        /* 0x08: 64-bit code */
	.quad 0x0000920000000000        /* 0x10: data */
gdt_end:
	.p2align 3
	.word 0
gdt_desc:
	.word gdt_end-gdt-1
	.quad gdt

	.p2align 3
boot_tsc:	.quad 0
hwcap:		.quad 0
start_info:	.long 0
mod_paddr:	.long 0
mod_size:	.long 0
ngib:		.long 0
alloc_next:	.long 0
pml4:		.long 0
pdpt_dm:	.long 0
pdpt_id:	.long 0
pd_id0:		.long 0
pt0:		.long 0
pdpt_k:		.long 0
pd_k:		.long 0
handoff:	.long 0
stack_base:	.long 0

str_argv0:	.asciz "limnx"
str_env0:	.asciz "HOME=/"
str_env0_end:
msg_prefix:	.asciz "limnx loader: "
msg_magic:	.asciz "not started by PVH (bad hvm_start_info magic)\n"
msg_nolm:	.asciz "CPU has no long mode\n"
msg_noxsave:	.asciz "CPU has no XSAVE (use -cpu max)\n"
msg_nofsgs:	.asciz "CPU has no FSGSBASE (use -cpu max)\n"
msg_nomod:	.asciz "no kernel module (pass the kernel with -initrd)\n"
msg_badmod:	.asciz "module has no LIMNXMOD header (build it with cmd/mkimage)\n"
msg_big:	.asciz "kernel image larger than 1 GiB\n"

	.bss
	.p2align 12
boot_stack:
	.skip 16384
boot_stack_top:
