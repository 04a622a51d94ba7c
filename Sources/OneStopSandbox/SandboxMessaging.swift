/// The sandbox's stand-ins for the message providers: where they listen and the credentials they take, which the
/// gateway's `notifications.provider: sandbox` uses. Not secrets: the sandbox sends nothing to anyone.
public enum SandboxMessaging {
    /// ZNS's call shape (`POST https://business.openapi.zalo.me/message/template`).
    public static let zaloMessagePath = "/zalo/message/template"
    /// Zalo OAuth v4's refresh (`POST https://oauth.zaloapp.com/v4/oa/access_token`).
    public static let zaloTokenPath = "/zalo/oa/access_token"
    /// eSMS.vn's JSON send (`POST …/MainService.svc/json/SendMultipleMessage_V4_post_json/`).
    public static let smsPath = "/esms/SendMultipleMessage_V4_post_json"
    public static let zaloAppId = "sandbox-zalo-app"
    public static let zaloSecretKey = "sandbox-zalo-secret"
    /// Always taken (an OA authorised afresh); the refresh tokens it hands out are good once each.
    public static let zaloRefreshToken = "sandbox-zalo-refresh"
    public static let smsApiKey = "sandbox-esms-key"
    public static let smsSecretKey = "sandbox-esms-secret"
    public static let smsBrandname = "BUUDIEN"
}
