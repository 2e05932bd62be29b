//! User profiles, tim-js-sdk's `Profile`. Until the server keeps profiles (the people issue),
//! `getMyProfile` answers the logged-in user's ID with tim-js-sdk's defaults for every other
//! field, which is what a new account has there too.

use super::*;

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
