/**
 * The operations that place a call. Place Callback and Wait shows every field of Place Callback
 * (it places the call exactly the same way), so their panels share this list in displayOptions.
 */
export const PLACE_OPERATIONS = ['placeCall', 'placeCallAndWait'];
