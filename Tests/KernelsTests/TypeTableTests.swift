import CKernels
import GGUF
import Testing
@testable import Kernels

/// The block layouts in C (nook_types.h) and Swift (GGMLType) are two tables that must agree.
@Suite struct TypeTableTests {
    @Test(arguments: GGMLType.allCases)
    func cAndSwiftAgreeOnBlockLayouts(_ type: GGMLType) {
        let c = nook_type_block(Int32(type.rawValue))
        #expect((c.elems > 0) == type.isSupportedWeightType, "\(type): C and Swift disagree on whether the kernels handle it")
        #expect((nook_type_supported(Int32(type.rawValue)) != 0) == type.isSupportedWeightType)
        if type.isSupportedWeightType {
            #expect(Int(c.elems) == type.blockSize, "\(type): elements per block")
            #expect(Int(c.bytes) == type.bytesPerBlock, "\(type): bytes per block")
        }
    }

    @Test func typesOutsideGGUFAreNotHandled() {
        for raw: Int32 in [-1, 4, 5, 29, 31, 1000] { #expect(nook_type_block(raw).elems == 0) }
    }
}

/// `NOOK_CPU` names one of the kernel levels, and caps the levels in use.
@Suite struct CPUOverrideTests {
    @Test func levelNamesParse() {
        #expect(KernelLevel(cpuOverride: "scalar") == .scalar)
        #expect(KernelLevel(cpuOverride: "avx2") == .avx2)
        #expect(KernelLevel(cpuOverride: "avx-vnni") == .avxVNNI)
        #expect(KernelLevel(cpuOverride: "avx512") == .avx512VNNI)
        #expect(KernelLevel(cpuOverride: "avx512-vnni") == .avx512VNNI)
        #expect(KernelLevel(cpuOverride: "AVX9000") == nil)
        #expect(KernelLevel(cpuOverride: "") == nil)
        #expect(nook_parse_level(nil) == Int32(NOOK_CPU_NO_OVERRIDE))
    }

    @Test func warningsNameTheValue() {
        #expect(KernelLevel.overrideWarning(environment: [:]) == nil)
        #expect(KernelLevel.overrideWarning(environment: ["NOOK_CPU": "scalar"]) == nil)
        let unknown = KernelLevel.overrideWarning(environment: ["NOOK_CPU": "sse9"])
        #expect(unknown?.contains("NOOK_CPU=sse9 is not a kernel level") == true)
        if !KernelLevel.avx512VNNI.isSupported {
            #expect(KernelLevel.overrideWarning(environment: ["NOOK_CPU": "avx512"])?.contains("runs at most") == true)
        }
    }

    @Test func theOverrideInThisProcessCapsEveryLevel() {
        let raw = nook_cpu_override()
        if raw >= 0, let cap = KernelLevel(rawValue: Int(raw)) {
            #expect(KernelLevel.supported.allSatisfy { $0 <= cap })
            #expect(KernelLevel.best <= cap)
        }
        #expect(KernelLevel.supported.contains(.scalar))
    }
}
