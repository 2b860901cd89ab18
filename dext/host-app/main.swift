// Catbridge.app: the container macOS requires for a driver extension, and the one thing it does — ask
// the system to activate (or, with --deactivate, remove) the catbridge dext embedded in
// Contents/Library/SystemExtensions. It has no window: run it from a terminal (dext/README.md).
// The Node gateway does not need this app once the dext is active.
import Foundation
import SystemExtensions

/// Must equal the dext target's PRODUCT_BUNDLE_IDENTIFIER in project.yml.
let driverIdentifier = "org.catbridge.Catbridge.Driver"

final class ActivationDelegate: NSObject, OSSystemExtensionRequestDelegate {
    func request(_ request: OSSystemExtensionRequest,
                 actionForReplacingExtension existing: OSSystemExtensionProperties,
                 withExtension ext: OSSystemExtensionProperties) -> OSSystemExtensionRequest.ReplacementAction {
        print("catbridge: replacing driver \(existing.bundleShortVersion) (\(existing.bundleVersion)) " +
              "with \(ext.bundleShortVersion) (\(ext.bundleVersion))")
        return .replace
    }

    func requestNeedsUserApproval(_ request: OSSystemExtensionRequest) {
        print("catbridge: waiting for your approval in System Settings > Privacy & Security " +
              "(macOS 15+: General > Login Items & Extensions > Driver Extensions)")
    }

    func request(_ request: OSSystemExtensionRequest,
                 didFinishWithResult result: OSSystemExtensionRequest.Result) {
        print(result == .completed ? "catbridge: done" : "catbridge: done; restart the Mac to finish")
        exit(0)
    }

    func request(_ request: OSSystemExtensionRequest, didFailWithError error: Error) {
        let e = error as NSError
        FileHandle.standardError.write("catbridge: failed: \(e.localizedDescription) (\(e.domain) \(e.code))\n"
            .data(using: .utf8)!)
        exit(1)
    }
}

let deactivate = CommandLine.arguments.contains("--deactivate")
let delegate = ActivationDelegate()
let request = deactivate
    ? OSSystemExtensionRequest.deactivationRequest(forExtensionWithIdentifier: driverIdentifier, queue: .main)
    : OSSystemExtensionRequest.activationRequest(forExtensionWithIdentifier: driverIdentifier, queue: .main)
request.delegate = delegate
OSSystemExtensionManager.shared.submitRequest(request)
dispatchMain()
