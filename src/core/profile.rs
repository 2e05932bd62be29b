//! User profiles, tim-js-sdk's `Profile`. Until the server keeps profiles (the people issue),
//! `getMyProfile` answers the logged-in user's ID with tim-js-sdk's defaults for every other
//! field, which is what a new account has there too.

use serde::Serialize;

use super::*;

/// tim-js-sdk's `Profile`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileView {
    /// userID.
    #[serde(rename = "userID")]
    pub user_id: String,
    /// nick.
    pub nick: String,
    /// avatar URL.
    pub avatar: String,
    /// `Gender_Type_Unknown` | `Gender_Type_Female` | `Gender_Type_Male`.
    pub gender: String,
    /// selfSignature.
    pub self_signature: String,
    /// `AllowType_Type_NeedConfirm` | `AllowType_Type_AllowAny` | `AllowType_Type_DenyAny`.
    pub allow_type: String,
    /// `AdminForbid_Type_None` | `AdminForbid_Type_SendOut`.
    pub admin_forbid_type: String,
    /// birthday (yyyymmdd as a number), location, language, messageSettings, level, role.
    pub birthday: u32,
    /// location.
    pub location: String,
    /// language.
    pub language: u32,
    /// messageSettings.
    pub message_settings: u32,
    /// level.
    pub level: u32,
    /// role.
    pub role: u32,
    /// lastUpdatedTime (seconds).
    pub last_updated_time: u64,
    /// profileCustomField (none until the server keeps profiles).
    pub profile_custom_field: Vec<String>,
}

impl ProfileView {
    /// A profile nobody has edited: tim-js-sdk's defaults.
    pub fn new(user_id: String) -> Self {
        ProfileView {
            user_id,
            nick: String::new(),
            avatar: String::new(),
            gender: "Gender_Type_Unknown".into(),
            self_signature: String::new(),
            allow_type: "AllowType_Type_NeedConfirm".into(),
            admin_forbid_type: "AdminForbid_Type_None".into(),
            birthday: 0,
            location: String::new(),
            language: 0,
            message_settings: 0,
            level: 0,
            role: 0,
            last_updated_time: 0,
            profile_custom_field: Vec::new(),
        }
    }
}

impl Core {
    /// `getMyProfile()`: the logged-in user's profile.
    pub(super) fn cmd_my_profile(&mut self, op: OpId) {
        let user_id = self.session.as_ref().map(|s| s.user_id.clone());
        let result = user_id
            .map(|id| Response::Profile(Box::new(ProfileView::new(id))))
            .ok_or_else(|| SdkError::new(codes::SDK_IS_NOT_READY, "SDK is not ready: login first"));
        self.complete(op, result);
    }
}
