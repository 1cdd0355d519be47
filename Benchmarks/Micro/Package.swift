// swift-tools-version:6.1
import PackageDescription

/// Micro-benchmarks of MachineAuth's hot paths (ordo-one/benchmark). Built on demand only:
///   cd Benchmarks/Micro && swift package --disable-sandbox --allow-writing-to-package-directory benchmark
let package = Package(
    name: "machineauth-micro",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "machineauth", path: "../.."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "HotPaths",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "MachineAuthCore", package: "machineauth"),
                .product(name: "MachineAuthStages", package: "machineauth"),
            ],
            path: "Benchmarks/HotPaths",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
